"""The HTTP API function: API Gateway (HTTP API, payload 2.0) events in, the app's responses out.

The FastAPI app is the one ``uvicorn`` serves in development; Mangum translates the events.
Its lifespan is off: Lambda gives no shutdown hook to close pools in, and the pools must
outlive each invocation anyway.
"""

from functools import cache
from typing import Any

from fastapi import FastAPI
from mangum import Mangum
from mangum.types import LambdaContext

from acme_shop.functions.instance import LambdaInstance
from acme_shop.main import create_app
from acme_shop.platform.settings import Settings


class ApiFunction:
    """One instance of the API function."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.instance = LambdaInstance(settings)
        self.app: FastAPI = create_app(self.instance.settings)
        self._adapter = Mangum(self.app, lifespan="off")

    def __call__(self, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        with self.instance.invocation(context):
            self.instance.make_current()  # Mangum runs the request on the current loop
            return self._adapter(event, context)


@cache
def _function() -> ApiFunction:
    return ApiFunction()


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """The entry point ``template.yaml`` names."""
    return _function()(event, context)
