"""Several app processes behind HAProxy (scripts/serve.py, deploy/haproxy.cfg): every tab sticks to one process.

A few protocol-level students (scripts/streamlit_client.py) open the explorer through the proxy and move a slider.
What would be false without sticky sessions: a tab's picture lives in the memory of the process that drew it, so it
is served through the proxy with the tab's cookie and not with the other process's cookie.
"""

import asyncio
import shutil

import pytest
import serve
from streamlit_client import StreamlitSession

SERVER_COOKIE = serve.SERVER_COOKIE
PORTS = range(8700, 8800)
STUDENTS = 4


def test_haproxy_config_keeps_the_template_and_lists_each_process():
    template = serve.HAPROXY_TEMPLATE.read_text(encoding="utf-8")
    config = serve.haproxy_config(template, "127.0.0.1:8750", [("127.0.0.1", 8751), ("127.0.0.1", 8752)])
    lines = [line.strip() for line in config.splitlines()]
    assert "bind 127.0.0.1:8750" in lines
    assert [line for line in lines if line.startswith("server ")] == [
        "server app-1 127.0.0.1:8751 check cookie app-1", "server app-2 127.0.0.1:8752 check cookie app-2"]
    assert f"cookie {SERVER_COOKIE} insert indirect nocache httponly" in lines
    assert "timeout tunnel 8h" in lines  # websockets stay open for the lesson


def _cookie(header: str, name: str) -> str:
    return dict(part.strip().split("=", 1) for part in header.split(";") if "=" in part).get(name, "")


async def _student(url: str, share: float, image: int) -> dict:
    session = StreamlitSession(url, watch_containers={"explorer_decoded", "explorer_start"})
    try:
        await session.connect(timeout=120)
        run = await session.open_page("explorer", f"img={image}")
        assert await run.wait(300) and not run.errors, run.errors
        slider = session.widget("explorer_pc_0")
        value = slider.minimum + (slider.maximum - slider.minimum) * share
        move = await session.rerun([slider.with_value(value)], fragment_id=slider.fragment_id)
        assert await move.wait(120) and not move.errors, move.errors
        assert move.image_urls["explorer_decoded"].startswith("data:image/png")  # a release's picture needs no request
        # The start picture is a media file of the process that drew it (each student its own start image: media URLs
        # are content hashes, and a picture both processes drew would be found in either).
        media = run.image_urls["explorer_start"]
        status, _, body = await session.http.get(media, session.cookie)
        return {"server": _cookie(session.cookie, SERVER_COOKIE), "cookie": session.cookie, "media": media,
                "media_status": status, "media_bytes": len(body)}
    finally:
        await session.close()


async def _status_with_cookie(url: str, path: str, cookie: str) -> int:
    session = StreamlitSession(url)
    try:
        status, _, _ = await session.http.get(path, cookie)
        return status
    finally:
        await session.http.close()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("haproxy") is None, reason="needs Debian's haproxy (scripts/system-deps.sh --proxy)")
def test_two_processes_behind_the_proxy_keep_each_tab_on_its_process(tmp_path):
    taken: set[int] = set()
    ports = []
    for _ in range(3):
        ports.append(serve.free_port(PORTS, taken))
        taken.add(ports[-1])
    with serve.serve(2, ports[0], address="127.0.0.1", app_ports=ports[1:], log_dir=tmp_path, warm=False,
                     environment={"AE_LAB_TRAINED_DIR": str(tmp_path / "trained")}) as stack:

        async def class_of_students():
            return await asyncio.gather(*(_student(stack.url, 0.55 + 0.1 * number, 100 + number)
                                          for number in range(STUDENTS)))

        students = asyncio.run(class_of_students())
        # Round robin dealt the cookie-less first requests to both processes, and the tabs worked on each.
        assert sorted({student["server"] for student in students}) == ["app-1", "app-2"], stack.log_tail()
        for student in students:
            assert student["media_status"] == 200 and student["media_bytes"] > 100  # a PNG, through the proxy
        # The same picture asked with the other process's cookie is not there: only stickiness made it work.
        student = students[0]
        other = "app-2" if student["server"] == "app-1" else "app-1"
        wrong_cookie = student["cookie"].replace(f"{SERVER_COOKIE}={student['server']}", f"{SERVER_COOKIE}={other}")
        assert asyncio.run(_status_with_cookie(stack.url, student["media"], wrong_cookie)) == 404
        assert not stack.ended()
