"""An httpx transport that sends each request through the API function as API Gateway does.

The request becomes an HTTP API (payload 2.0) event, the handler runs on its own event loop
in a worker thread (as its Lambda instance would), and its result becomes the response.
"""

import asyncio
import base64
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from acme_shop.functions.api import ApiFunction
from acme_shop.platform.settings import Settings
from tools.payloads import LocalContext, http_api_event


class ApiGatewayTransport(httpx.AsyncBaseTransport):
    def __init__(self, function: ApiFunction) -> None:
        self.function = function

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        event = http_api_event(
            request.method,
            request.url.path,
            query=request.url.query.decode(),
            headers=[(name.decode(), value.decode()) for name, value in request.headers.raw],
            body=await request.aread(),
        )
        result = await asyncio.to_thread(self.function, event, LocalContext("api"))
        body: str = result.get("body") or ""
        content = base64.b64decode(body) if result["isBase64Encoded"] else body.encode()
        headers = [(name, value) for name, value in result["headers"].items()]
        headers += [("set-cookie", cookie) for cookie in result.get("cookies", [])]
        return httpx.Response(result["statusCode"], headers=headers, content=content)


@asynccontextmanager
async def api_gateway(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A new API function instance with ``settings``, behind API Gateway."""
    function = ApiFunction(settings)
    try:
        async with httpx.AsyncClient(
            transport=ApiGatewayTransport(function), base_url="https://api.example.com"
        ) as client:
            yield client
    finally:
        await asyncio.to_thread(function.instance.run, function.app.state.resources.aclose())
