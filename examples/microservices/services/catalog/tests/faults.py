"""Faults on purpose: a loopback TCP proxy in front of a real server, which a test takes down.

While the proxy is down, the app sees what it would see if the server died: every open
connection is reset and every new one is refused. Brought back up on the same port, it is
the server restarting. The server behind it keeps running, so the test works the same against
testcontainers and against servers named by DATABASE_URL and REDIS_URL.
"""

import asyncio
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HOST = "127.0.0.1"
_CHUNK = 64 * 1024


class CuttableProxy:
    """Forwards loopback connections to ``upstream`` until ``down()``, again after ``up()``."""

    def __init__(self, upstream_url: str) -> None:
        parts = urlsplit(upstream_url)
        if parts.hostname is None or parts.port is None:
            raise ValueError(f"{upstream_url} names no host and port")
        self._upstream_url = parts
        self._upstream = (parts.hostname, parts.port)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="proxy", daemon=True)
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.StreamWriter] = set()
        self.port = 0

    @property
    def url(self) -> str:
        """The upstream URL, through the proxy."""
        parts = self._upstream_url
        credentials = parts.netloc.rpartition("@")[0]
        netloc = f"{credentials}@{HOST}:{self.port}" if credentials else f"{HOST}:{self.port}"
        return urlunsplit(parts._replace(netloc=netloc))

    def up(self) -> None:
        self._call(self._listen())

    def down(self) -> None:
        """Refuse new connections and reset every open one."""
        self._call(self._close())

    def _call(self, work: Coroutine[Any, Any, None]) -> None:
        asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=10)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._forward, HOST, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._connections):
            writer.transport.abort()
        self._connections.clear()

    async def _forward(self, client: asyncio.StreamReader, to_client: asyncio.StreamWriter) -> None:
        try:
            upstream, to_upstream = await asyncio.open_connection(*self._upstream)
        except OSError:
            to_client.transport.abort()
            return
        self._connections |= {to_client, to_upstream}
        await asyncio.gather(_pipe(client, to_upstream), _pipe(upstream, to_client))
        self._connections -= {to_client, to_upstream}

    @contextmanager
    def running(self) -> Iterator["CuttableProxy"]:
        self._thread.start()
        self.up()
        try:
            yield self
        finally:
            self.down()
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(_CHUNK):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        writer.transport.abort()
