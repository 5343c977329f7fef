"""Test-only: a small reverse proxy in front of the app that adds the security headers docs/security.md gives nginx.

It reads the `add_header` lines of the nginx block in docs/security.md, so the test of those headers (a real browser
through this proxy: no policy violation, nothing broken) tests what the document says. HTTP and Streamlit's websocket
are passed through as nginx passes them (the Host header kept, hop-by-hop headers dropped).

Usage: `with header_proxy(app_server.url) as url: page.goto(url + "/explorer")`
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from collections.abc import Iterator

from harness import PROJECT_ROOT, free_port

SECURITY_DOC = PROJECT_ROOT / "docs" / "security.md"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "content-length", "content-encoding"}


def documented_headers() -> dict[str, str]:
    """The `add_header Name "value" always;` lines of the nginx block in docs/security.md."""
    text = SECURITY_DOC.read_text(encoding="utf-8")
    block = text.split("```nginx", 1)[1].split("```", 1)[0]
    return {name: value for name, value in re.findall(r'^\s*add_header\s+([\w-]+)\s+"([^"]*)"\s+always;', block,
                                                       flags=re.MULTILINE)}


@contextlib.contextmanager
def header_proxy(upstream: str, headers: dict[str, str] | None = None) -> Iterator[str]:
    """Serves `upstream` (http://host:port) on a free local port with `headers` added; yields the proxy's URL."""
    import aiohttp
    from aiohttp import web

    headers = documented_headers() if headers is None else headers
    port = free_port()
    ready, running = threading.Event(), {}  # running: the proxy's event loop and its stop event

    async def forward_websocket(request, session):
        protocols = [p.strip() for p in request.headers.get("Sec-WebSocket-Protocol", "").split(",") if p.strip()]
        outgoing = {key: value for key, value in request.headers.items()
                    if key.lower() in ("cookie", "origin", "host", "user-agent")}
        async with session.ws_connect(upstream + request.path_qs, protocols=protocols, headers=outgoing,
                                      max_msg_size=0) as server_socket:
            browser_socket = web.WebSocketResponse(protocols=[server_socket.protocol] if server_socket.protocol else (),
                                                   max_msg_size=0)
            await browser_socket.prepare(request)

            async def pump(source, target):
                async for message in source:
                    if message.type == aiohttp.WSMsgType.BINARY:
                        await target.send_bytes(message.data)
                    elif message.type == aiohttp.WSMsgType.TEXT:
                        await target.send_str(message.data)
                    else:
                        break
                await target.close()

            await asyncio.gather(pump(browser_socket, server_socket), pump(server_socket, browser_socket),
                                 return_exceptions=True)
            return browser_socket

    async def forward(request):
        session = request.app["session"]
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await forward_websocket(request, session)
        outgoing = {key: value for key, value in request.headers.items() if key.lower() not in HOP_BY_HOP}
        async with session.request(request.method, upstream + request.path_qs, headers=outgoing,
                                   data=await request.read(), allow_redirects=False) as response:
            body = await response.read()
            returned = [(key, value) for key, value in response.headers.items() if key.lower() not in HOP_BY_HOP]
            reply = web.Response(status=response.status, body=body)
            for key, value in returned:
                reply.headers.add(key, value)
            for key, value in headers.items():
                reply.headers[key] = value
            return reply

    def serve():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)

        async def start():
            app = web.Application(client_max_size=8 * 1024 * 1024)
            app["session"] = aiohttp.ClientSession(auto_decompress=True)
            app.router.add_route("*", "/{tail:.*}", forward)
            runner = web.AppRunner(app)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port).start()
            return runner, app

        runner, app = loop.run_until_complete(start())
        stop = asyncio.Event()
        running.update(loop=loop, stop=stop)
        ready.set()
        loop.run_until_complete(stop.wait())
        loop.run_until_complete(app["session"].close())
        loop.run_until_complete(runner.cleanup())
        loop.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait(30)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        if running:
            running["loop"].call_soon_threadsafe(running["stop"].set)
        thread.join(10)
