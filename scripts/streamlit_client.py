"""A Streamlit client at the protocol level: one browser tab's session over Streamlit's websocket, with no rendering.

It speaks what Streamlit 1.67's own frontend speaks (read from streamlit/static/static/js/index.*.js and the server
in streamlit/web/server/starlette/): the handshake, the rerun requests with every widget's state, and the browser's
cache of large messages. bench/load.py drives one of these per emulated student, scripts/serve.py one per app
process to warm it up. Usage:

    session = StreamlitSession("http://127.0.0.1:8501", watch_containers={"explorer_decoded"})
    await session.connect()
    run = await session.open_page("explorer")
    await run.wait(timeout=60)
    slider = session.widget("explorer_pc_0")
    run = await session.rerun([slider.with_value(1.5)], fragment_id=slider.fragment_id)
    await run.wait(timeout=10)   # run.images["explorer_decoded"]: when the new decoded image arrived

What the browser does and this client copies:
- GET /_stcore/health sets the `_streamlit_xsrf` cookie (and a proxy its own); the websocket then sends it back
  twice, as a cookie and as the second entry of Sec-WebSocket-Protocol (`streamlit, <token>`), with a same-origin
  Origin header. Streamlit accepts a websocket without them too, but then ignores auth cookies: a client that skips
  them is not a browser.
- The first run of a tab names its page by url path (`page_name`) with an empty `page_script_hash`; every later run
  names it by `page_script_hash`, which comes from the `navigation` message (not `new_session`, whose hash is the
  entry script's, app.py's).
- A widget change reruns the script (or only the fragment holding the widget: `fragment_id` is the widget's
  `delta.fragment_id`) and carries the state of every widget the page shows, not only the one that changed. This
  client mirrors the states of sliders, number inputs, selectboxes and multiselects from the elements it receives;
  others (buttons are triggers and keep no state) are left out, and the server then keeps their last values.
- Messages of 10 kB or more are cacheable: the browser keeps them and lists their hashes in each rerun request, and
  the server then sends a `ref_hash` instead of the message (the explorer's live decoder carries ~300 kB of weights
  that would otherwise travel on every slider move). The cache forgets a message after `max_cached_message_age`
  script runs without it, counting only the runs of its fragment for a fragment's messages, as the browser does.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput
from streamlit.proto.WidgetStates_pb2 import WidgetState

XSRF_COOKIE = "_streamlit_xsrf"
WIDGET_ID_PREFIX_LENGTH = len("$$ID-") + 32 + len("-")  # "$$ID-<32 hex digits>-<user key>" for widgets with a key
FINISHED_EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
# What a Korean classroom's browser reports about itself (the server keeps it for st.context).
CONTEXT = {"timezone": "Asia/Seoul", "timezone_offset": -540, "locale": "ko-KR", "color_scheme": "light"}


class ProtocolError(RuntimeError):
    """The server answered in a way a browser would not accept (a failed handshake, a cache miss)."""


def widget_key(widget_id: str) -> str | None:
    """The user's `key=` inside a widget id such as `$$ID-2c2f...43-explorer_pc_0`, None for widgets without one."""
    return widget_id[WIDGET_ID_PREFIX_LENGTH:] if widget_id.startswith("$$ID-") else None


class HttpConnection:
    """A keep-alive HTTP/1.1 connection for the few GETs a tab makes (health, host config, media files).

    No third-party client is installed here, and these responses are small and sized (uvicorn sets Content-Length);
    chunked bodies are read too, in case a route streams.
    """

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str, cookie: str = "") -> tuple[int, dict[str, str], bytes]:
        try:
            return await self._get_once(path, cookie)
        except (ConnectionError, asyncio.IncompleteReadError):
            await self.close()  # the server may have closed an idle keep-alive connection: reopen once
            return await self._get_once(path, cookie)

    async def _get_once(self, path: str, cookie: str) -> tuple[int, dict[str, str], bytes]:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._streams
        request = f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
        if cookie:
            request += f"Cookie: {cookie}\r\n"
        writer.write((request + "\r\n").encode("latin-1"))
        return await self._read_response(reader)

    @staticmethod
    async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
        status_line = await reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        cookies = []
        while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookies.append(value)
            headers[name] = value
        if cookies:
            headers["set-cookie"] = "\n".join(cookies)
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = bytearray()
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                body += await reader.readexactly(size)
                await reader.readexactly(2)
            await reader.readuntil(b"\r\n")
            return status, headers, bytes(body)
        return status, headers, await reader.readexactly(int(headers.get("content-length", 0)))

    async def close(self) -> None:
        if self._streams is not None:
            writer = self._streams[1]
            self._streams = None
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


@dataclass
class Widget:
    """The browser's copy of one widget: the state it sends back, and where the widget lives."""

    state: WidgetState
    fragment_id: str  # "" outside fragments
    script_hash: str  # the script that drew it: the entry script's widgets (the sidebar) survive a page change
    seen_in_run: int  # the run number that last drew it; widgets a finished run did not draw are forgotten
    minimum: float = 0.0  # range and step, for sliders and number inputs
    maximum: float = 0.0
    step: float = 0.0

    @property
    def value(self):
        kind = self.state.WhichOneof("value")
        inner = getattr(self.state, kind) if kind else None
        return list(inner.data) if hasattr(inner, "data") else inner

    def with_value(self, value) -> WidgetState:
        """This widget's state carrying `value` instead (a float for sliders: sent as a one-element array)."""
        changed = WidgetState(id=self.state.id)
        kind = self.state.WhichOneof("value")
        if kind == "double_array_value":
            changed.double_array_value.data.extend(value if isinstance(value, list | tuple) else [value])
        elif kind == "string_array_value":
            changed.string_array_value.data.extend(value)
        else:
            setattr(changed, kind, value)
        return changed


def trigger(widget_id: str) -> WidgetState:
    """A button press: a trigger is true for the one run it causes and is not kept afterwards."""
    return WidgetState(id=widget_id, trigger_value=True)


@dataclass
class Run:
    """What one rerun request got back. `wait()` returns once the server says the run finished (or the tab closed)."""

    sent_at: float
    run_id: str = ""
    images: dict[str, float] = field(default_factory=dict)  # watched container key -> when its new image arrived
    image_urls: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # exception elements and st.error alerts the run drew
    alerts: list[str] = field(default_factory=list)  # the body of every alert it drew (st.info, st.warning, ...)
    finished_at: float | None = None
    status: int | None = None
    disconnected: bool = False
    done: asyncio.Event = field(default_factory=asyncio.Event)

    async def wait(self, timeout: float) -> bool:
        """True when the run finished (or the tab closed) within `timeout` seconds."""
        try:
            await asyncio.wait_for(self.done.wait(), timeout)
        except TimeoutError:
            return False
        return True


class StreamlitSession:
    """One tab: a websocket session with the server and the little browser state the protocol needs."""

    def __init__(self, base_url: str, watch_containers: frozenset[str] | set[str] = frozenset(), cookie: str = ""):
        """`cookie`: the cookies the browser holds already ("name=value; ..."), as a tab that reconnects after its
        server went away sends them (behind the proxy, the cookie of the process that had it)."""
        parts = urlsplit(base_url)
        self.base_url = base_url.rstrip("/")
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.watch_containers = frozenset(watch_containers)
        self.http = HttpConnection(self.host, self.port)
        self.cookie = cookie
        self.websocket = None
        self.pages: dict[str, str] = {}  # url path ("" for the default page) -> page script hash
        self.page_hash = ""  # the page now shown
        self.main_script_hash = ""
        self.widgets: dict[str, Widget] = {}  # widget id -> mirror
        self.widget_ids: dict[str, str] = {}  # user key -> widget id
        self.fragment_ids: set[str] = set()
        self.closed = False
        self._container_paths: dict[tuple[int, ...], str] = {}  # delta path of a watched keyed container -> its key
        self._run: Run | None = None
        self._run_number = 0
        self._cached: dict[str, list] = {}  # message hash -> [script run count when last used, fragment id]
        self._cache_run_count = 0
        self._max_cached_message_age = 2  # Streamlit's default; new_session says the server's value
        self._reader: asyncio.Task | None = None

    async def connect(self, timeout: float = 30.0) -> None:
        status, headers, _ = await asyncio.wait_for(self.http.get("/_stcore/health", self.cookie), timeout)
        if status != 200:
            raise ProtocolError(f"/_stcore/health answered {status}")
        # Every cookie is kept and sent back, as a browser does: behind a proxy with sticky sessions its own cookie
        # (deploy/haproxy.cfg) sends the websocket and the /media requests to the process that set it.
        held = dict(part.strip().split("=", 1) for part in self.cookie.split(";") if "=" in part)
        cookies = {**held, **_cookies(headers.get("set-cookie", ""))}
        token = cookies.get(XSRF_COOKIE, "")
        self.cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        await asyncio.wait_for(self.http.get("/_stcore/host-config", self.cookie), timeout)
        headers_out = {"Origin": f"http://{self.host}:{self.port}"}
        if self.cookie:
            headers_out["Cookie"] = self.cookie
        # The browser's WebSocket carries no size limit of its own; the app's largest message (the live decoder's
        # weights) is ~300 kB, above the websockets package's 1 MiB default only for bigger models.
        self.websocket = await websockets.connect(
            f"ws://{self.host}:{self.port}/_stcore/stream", subprotocols=["streamlit", *([token] if token else [])],
            additional_headers=headers_out, max_size=None, open_timeout=timeout)
        self._reader = asyncio.create_task(self._read_forever())

    async def close(self) -> None:
        self.closed = True
        if self.websocket is not None:
            with contextlib.suppress(Exception):
                await self.websocket.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        await self.http.close()

    # --- Requests ---------------------------------------------------------------------------------------------

    def widget(self, key: str) -> Widget | None:
        widget_id = self.widget_ids.get(key)
        return self.widgets.get(widget_id) if widget_id else None

    async def open_page(self, url_path: str, query_string: str = "") -> Run:
        """The first run of a tab opened at /<url_path>?<query_string> (a link): the page is named by its url path, not
        yet by its hash."""
        return await self._send_rerun(page_name=url_path, page_script_hash="", fragment_id="", changes=(),
                                      query_string=query_string)

    async def switch_page(self, url_path: str) -> Run:
        """A click on another page in the sidebar: only the entry script's widgets keep their state."""
        target = self.pages[url_path]
        for widget_id in [wid for wid, widget in self.widgets.items() if widget.script_hash != self.main_script_hash]:
            del self.widgets[widget_id]
        return await self._send_rerun(page_name="", page_script_hash=target, fragment_id="", changes=())

    async def rerun(self, changes: list[WidgetState], fragment_id: str = "") -> Run:
        """A widget interaction: `changes` are the widgets the user changed; the rest are sent as they stand."""
        return await self._send_rerun(page_name="", page_script_hash=self.page_hash, fragment_id=fragment_id,
                                      changes=changes)

    async def _send_rerun(self, page_name: str, page_script_hash: str, fragment_id: str, changes,
                          query_string: str = "") -> Run:
        if self.closed:
            raise ConnectionError("the session is closed")
        message = BackMsg()
        request = message.rerun_script
        request.page_name = page_name
        request.page_script_hash = page_script_hash
        request.fragment_id = fragment_id
        request.query_string = query_string
        changed = {state.id: state for state in changes}
        for widget_id, widget in self.widgets.items():
            if widget_id not in changed:
                request.widget_states.widgets.append(widget.state)
        for widget_id, state in changed.items():
            request.widget_states.widgets.append(state)
            widget = self.widgets.get(widget_id)
            if widget is not None and state.WhichOneof("value") != "trigger_value":
                widget.state = state  # the browser shows the value it sent, until the server says otherwise
        request.cached_message_hashes.extend(self._cached)
        context = request.context_info
        context.timezone, context.timezone_offset = CONTEXT["timezone"], CONTEXT["timezone_offset"]
        context.locale, context.color_scheme = CONTEXT["locale"], CONTEXT["color_scheme"]
        context.url = f"{self.base_url}/{page_name}" + (f"?{query_string}" if query_string else "")
        run = Run(sent_at=time.perf_counter())
        self._run = run
        await self.websocket.send(message.SerializeToString())
        return run

    # --- What the server sends --------------------------------------------------------------------------------

    async def _read_forever(self) -> None:
        try:
            async for data in self.websocket:
                message = ForwardMsg()
                message.ParseFromString(data)
                self._handle(message)
        except websockets.ConnectionClosed:
            pass
        finally:
            self.closed = True
            if self._run is not None and not self._run.done.is_set():
                self._run.disconnected = True
                self._run.done.set()

    def _handle(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        run = self._run
        if kind == "delta":
            if message.metadata.cacheable:
                self._cached[message.hash] = [self._cache_run_count, message.delta.fragment_id]
            self._handle_delta(message, run)
        elif kind == "ref_hash":
            entry = self._cached.get(message.ref_hash)
            if entry is None:  # the browser would raise "Cached ForwardMsg MISS" here
                if run is not None:
                    run.errors.append("cache miss: the server referred to a message this tab does not hold")
            else:
                entry[0] = self._cache_run_count
        elif kind == "new_session":
            self._run_number += 1
            self.main_script_hash = message.new_session.main_script_hash
            self._max_cached_message_age = message.new_session.config.max_cached_message_age or 2
            if run is not None and not run.run_id:
                run.run_id = message.metadata.run.script_run_id
        elif kind == "navigation":
            self.page_hash = message.navigation.page_script_hash
            self.pages = {page.url_pathname: page.page_script_hash for page in message.navigation.app_pages}
        elif kind == "script_finished":
            self._finish_run(message, run)
        elif kind == "page_not_found" and run is not None:
            run.errors.append(f"page not found: {message.page_not_found.page_name}")

    def _handle_delta(self, message: ForwardMsg, run: Run | None) -> None:
        delta = message.delta
        delta_kind = delta.WhichOneof("type")
        if delta_kind == "add_block":
            key = widget_key(delta.add_block.id) if delta.add_block.id else None
            if key in self.watch_containers:
                self._container_paths[tuple(message.metadata.delta_path)] = key
            return
        if delta_kind != "new_element":
            return
        element = delta.new_element
        element_kind = element.WhichOneof("type")
        if delta.fragment_id:
            self.fragment_ids.add(delta.fragment_id)
        if element_kind == "imgs":
            container = self._container_paths.get(tuple(message.metadata.delta_path[:-1]))
            if container is not None and run is not None and container not in run.images:
                run.images[container] = time.perf_counter()
                run.image_urls[container] = element.imgs.imgs[0].url if element.imgs.imgs else ""
        elif element_kind == "exception":
            if run is not None:
                run.errors.append(f"exception: {element.exception.type} {element.exception.message[:120]}")
        elif element_kind == "alert" and run is not None:
            run.alerts.append(element.alert.body)
            if element.alert.format == Alert.Format.ERROR:
                run.errors.append(f"st.error: {element.alert.body[:120]}")
        elif element_kind in _MIRRORED:
            self._mirror_widget(getattr(element, element_kind), element_kind, message)
        elif element_kind in _TRIGGERS:
            widget_id = getattr(element, element_kind).id
            if key := widget_key(widget_id):
                self.widget_ids[key] = widget_id

    def _mirror_widget(self, element, element_kind: str, message: ForwardMsg) -> None:
        known = self.widgets.get(element.id)
        state = _widget_state(element, element_kind, known)
        if state is None:
            return
        widget = Widget(state=state, fragment_id=message.delta.fragment_id,
                        script_hash=message.metadata.active_script_hash, seen_in_run=self._run_number)
        if element_kind in ("slider", "number_input"):
            widget.minimum, widget.maximum, widget.step = element.min, element.max, element.step
        self.widgets[element.id] = widget
        key = widget_key(element.id)
        if key:
            self.widget_ids[key] = element.id

    def _finish_run(self, message: ForwardMsg, run: Run | None) -> None:
        status = message.script_finished
        fragment_ids = list(message.metadata.run.fragment_ids)
        if status == FINISHED_EARLY_FOR_RERUN:
            return  # another run follows at once and answers the request
        # The browser forgets widgets the finished run did not draw (only the fragment's, after a fragment run).
        stale = [wid for wid, widget in self.widgets.items() if widget.seen_in_run != self._run_number
                 and (not fragment_ids or widget.fragment_id in fragment_ids)]
        for widget_id in stale:
            del self.widgets[widget_id]
        self._age_cache(fragment_ids)
        if run is not None and not run.done.is_set():
            run.finished_at = time.perf_counter()
            run.status = status
            run.done.set()

    def _age_cache(self, fragment_ids: list[str]) -> None:
        self._cache_run_count += 1
        for message_hash, (last_used, fragment_id) in list(self._cached.items()):
            if fragment_ids and fragment_id not in fragment_ids:
                continue  # a fragment run ages only that fragment's messages
            if self._cache_run_count - last_used > self._max_cached_message_age:
                del self._cached[message_hash]


_MIRRORED = frozenset({"slider", "number_input", "selectbox", "multiselect"})
_TRIGGERS = frozenset({"button"})  # widgets whose ids are remembered (to press them) but whose state is not kept


def _widget_state(element, element_kind: str, known: Widget | None) -> WidgetState | None:
    """The state the browser holds for a widget element: the server's value when it sets one, else the value the
    browser already had, else the widget's default. None when the browser would hold no value (an empty selectbox).
    """
    if known is not None and not element.set_value:
        return known.state
    state = WidgetState(id=element.id)
    if element_kind == "slider" and element.options:  # st.select_slider: its formatted options, as strings
        indices = element.value if element.set_value else element.default
        state.string_array_value.data.extend(element.options[int(index)] for index in indices)
    elif element_kind == "slider":
        state.double_array_value.data.extend(element.value if element.set_value else element.default)
    elif element_kind == "number_input":
        value = element.value if element.set_value else element.default
        if element.data_type == NumberInput.DataType.INT:
            state.int_value = int(value)
        else:
            state.double_value = value
    elif element_kind == "selectbox":
        if element.set_value:
            state.string_value = element.raw_value
        elif 0 <= element.default < len(element.options):
            state.string_value = element.options[element.default]
        else:
            return None
    elif element_kind == "multiselect":
        chosen = element.raw_values if element.set_value else [element.options[index] for index in element.default]
        state.string_array_value.data.extend(chosen)
    return state


def _cookies(set_cookie: str) -> dict[str, str]:
    """name -> value for each Set-Cookie line (attributes such as Path are dropped)."""
    cookies = {}
    for line in set_cookie.splitlines():
        name, _, rest = line.partition("=")
        if name.strip():
            cookies[name.strip()] = rest.split(";")[0].strip()
    return cookies
