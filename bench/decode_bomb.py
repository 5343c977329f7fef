"""Pictures built to cost a decoder far more than their size (scripts/hostile_pictures.py): CPU seconds to handle each
before (a plain Pillow decode, as ae_core/uploads.py did) and now (ae_core.uploads.read_upload's structural check),
then other students' slider p95 quiet and while tabs send scan bombs as their drawing; prints one JSON line.

Part 1, decoding: each picture's plain Pillow decode (`Image.open(...).load()`) runs in a child process stopped after
--decode-timeout CPU seconds (reported as "> N", the CPU it had used, read from the kernel). The issue's bomb (4.9 MB,
its 14-byte AC scan repeated 349,000 times) takes minutes, so a smaller one (--sample-repeats) is decoded in full and
its CPU per scan extrapolated to the full file (`bomb_extrapolated_cpu_s`); the same for the PNG of ~4,900 colour
profiles (`png_profile_flood_extrapolated_cpu_s`). `check_ms` is read_upload's refusal here;
`worst_accepted_cpu_s` what the costliest pictures the limits let through cost read_upload in full (4 megapixels of
noise as a progressive JPEG, a 4-megapixel JPEG of exactly 64 scans, PNGs at the chunk limits).

Part 2, a class beside an attacker: the app as bench/load.py starts it (one process, warmed up, free port of 127.0.0.1),
--students students moving the explorer's sliders (bench/load.py's Student) for --duration seconds quiet, then again
while --attackers tabs on the garment page each send the canvas bomb (the issue's 1.45 MB one in the canvas's PNG data
URL, its bytes changed every time so that no cache answers), the next one --attack-interval seconds after the last
once that was answered (0: at once). With --compare-drawings, a third window has the same tabs send ordinary drawings
at the same pace: what any drawing costs. Figures per window: p50/p95 of the students' moves, the server's CPU, and
the drawings sent, answered, the message they got and the longest answer.

To measure the code before this change, serve another checkout: `--app-dir /path/to/old/checkout` (part 1 is
Pillow itself either way).

Usage: `.venv/bin/python bench/decode_bomb.py [--students 10 --duration 20 --attackers 4 --attack-interval 1]
       [--compare-drawings] [--skip-load | --skip-decode] [--app-dir ../old-checkout]`
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import functools
import io
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/load.py: the students and the server stack
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import load
import numpy as np
from hostile_pictures import (
    BOMB_REPEATS,
    BOMB_SIDE,
    chunk_flood_png,
    jpeg_scan_count,
    jpeg_with_fill_before_scan,
    jpeg_with_segments_before_frame,
    profile_flood_png,
    progressive_jpeg,
    scan_bomb_jpeg,
    with_last_scan_repeated,
)
from PIL import Image, ImageDraw
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit_client import StreamlitSession

from ae_core.picture_structure import MAX_JPEG_SCANS, MAX_PNG_CHUNKS, MAX_PNG_COMPRESSED_CHUNKS
from ae_core.uploads import MAX_UPLOAD_BYTES, ImageRejectedError, read_upload

CANVAS_COMPONENT = "ae_lab.draw_canvas"
CANVAS_BOMB_REPEATS = 100_000  # the canvas message: 1.45 MB of bytes, under the canvas's 2,000,000 characters
GARMENT = "garment"

DECODE_CHILD = """
import resource, sys, time
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))  # the kernel stops this process there (SIGXCPU)
from PIL import Image, ImageDraw
started = time.process_time()
with Image.open(sys.argv[1], formats=("PNG", "JPEG")) as image:
    image.load()
print(time.process_time() - started)
"""


# --- Part 1: decoding ------------------------------------------------------------------------------------------

def small_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (300, 400), 200).save(buffer, "PNG")
    return buffer.getvalue()


def small_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (300, 400), 200).save(buffer, "JPEG")
    return buffer.getvalue()


def hostile_pictures() -> dict[str, bytes]:
    """Each kind of hostile picture, as large as the upload limit allows."""
    png, jpeg = small_png(), small_jpeg()
    limit = MAX_UPLOAD_BYTES - 4096
    return {
        "jpeg_scan_bomb": scan_bomb_jpeg(),
        "jpeg_comment_flood": jpeg_with_segments_before_frame(jpeg, (limit - len(jpeg)) // 4),
        "jpeg_fill_before_scan": jpeg_with_fill_before_scan(jpeg, limit - len(jpeg)),
        "png_chunk_flood": chunk_flood_png(png, (limit - len(png)) // 12),
        "png_profile_flood": profile_flood_png(png, (limit - len(png)) // 1040),
    }


def plain_pillow_cpu(data: bytes, limit_s: float, scratch: Path) -> tuple[float, bool]:
    """CPU seconds of a plain Pillow decode of `data` in a child process, and whether it finished: the child may use
    `limit_s` of CPU (the kernel stops it there: RLIMIT_CPU) and three times that of wall time on a busy machine. When
    it finished, the figure is its decode alone; when it was stopped, all the CPU it had used."""
    path = scratch / "picture"
    path.write_bytes(data)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = subprocess.Popen([sys.executable, "-c", DECODE_CHILD, str(path), str(math.ceil(limit_s))],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        output, _ = child.communicate(timeout=3 * limit_s)
    except subprocess.TimeoutExpired:
        child.kill()
        output, _ = child.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if child.returncode == 0 and output.strip():
        return float(output.strip()), True
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, False


def worst_accepted() -> dict[str, bytes]:
    """The costliest pictures the limits still let through, at 4 megapixels: what one upload can cost now."""
    rng = np.random.default_rng(0)
    noisy = Image.fromarray(rng.integers(0, 256, (BOMB_SIDE, BOMB_SIDE, 3), dtype=np.uint8), "RGB")
    photo = progressive_jpeg(noisy, quality=95)
    png = small_png()
    return {
        "jpeg_4mp_progressive": scan_bomb_jpeg(repeats=0),
        "jpeg_noise_4mp_progressive": photo,
        "jpeg_4mp_at_scan_limit": with_last_scan_repeated(scan_bomb_jpeg(repeats=0),
                                                          MAX_JPEG_SCANS - jpeg_scan_count(scan_bomb_jpeg(repeats=0))),
        "png_at_chunk_limit": chunk_flood_png(png, MAX_PNG_CHUNKS - 4),
        "png_at_profile_limit": profile_flood_png(png, MAX_PNG_COMPRESSED_CHUNKS),
    }


def accepted_cpu_s(data: bytes, repeats: int = 3) -> float:
    """read_upload's CPU time to decode `data` in full (the best of `repeats`)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        read_upload(data)
        best = min(best, time.process_time() - started)
    return round(best, 3)


def check_ms(data: bytes, repeats: int = 20) -> tuple[float, str]:
    """read_upload's time to refuse `data` (the best of `repeats`, in CPU ms), and its code."""
    best, code = float("inf"), "accepted"
    for _ in range(repeats):
        started = time.process_time()
        try:
            read_upload(data)
        except ImageRejectedError as rejection:
            code = rejection.code
        best = min(best, time.process_time() - started)
    return round(best * 1000, 3), code


def decoding(args, scratch: Path) -> dict:
    results = {}
    hostile = hostile_pictures()
    for name, data in hostile.items():
        cpu, finished = plain_pillow_cpu(data, args.decode_timeout, scratch)
        refused_ms, code = check_ms(data)
        results[name] = {"bytes": len(data), "pillow_cpu_s": round(cpu, 3) if finished else f"> {cpu:.1f}",
                         "pillow_finished": finished, "check_ms": refused_ms, "code": code}
    sample = scan_bomb_jpeg(repeats=args.sample_repeats)
    baseline, _ = plain_pillow_cpu(scan_bomb_jpeg(repeats=0), args.decode_timeout, scratch)
    sample_cpu, finished = plain_pillow_cpu(sample, args.decode_timeout, scratch)
    per_scan = (sample_cpu - baseline) / args.sample_repeats
    results["bomb_sample"] = {"repeats": args.sample_repeats, "bytes": len(sample), "pillow_cpu_s": round(sample_cpu, 3),
                              "finished": finished, "plain_file_cpu_s": round(baseline, 3),
                              "cpu_ms_per_scan": round(per_scan * 1000, 4)}
    results["bomb_extrapolated_cpu_s"] = round(baseline + per_scan * BOMB_REPEATS, 1) if finished else None
    # The same for the colour-profile flood: a smaller one in full, per profile, times the full one's profiles.
    profiles = (len(hostile["png_profile_flood"]) - len(small_png())) // len(profile_flood_png(b"", 1))
    sample_cpu, finished = plain_pillow_cpu(profile_flood_png(small_png(), args.sample_profiles), args.decode_timeout,
                                            scratch)
    results["png_profile_flood_extrapolated_cpu_s"] = round(sample_cpu / args.sample_profiles * profiles, 1) \
        if finished else None
    results["worst_accepted_cpu_s"] = {name: accepted_cpu_s(data) for name, data in worst_accepted().items()}
    return results


# --- Part 2: a class beside an attacker ------------------------------------------------------------------------

class CanvasTab(StreamlitSession):
    """A tab on the garment page that remembers its canvas component's id, to send drawings as the canvas does."""

    canvas_id: str | None = None

    def _handle_delta(self, message, run) -> None:
        super()._handle_delta(message, run)
        delta = message.delta
        if delta.WhichOneof("type") == "new_element" and delta.new_element.WhichOneof("type") == "bidi_component":
            component = delta.new_element.bidi_component
            if component.component_name == CANVAS_COMPONENT:
                self.canvas_id = component.id


@functools.cache
def canvas_bomb() -> bytes:
    return scan_bomb_jpeg(repeats=CANVAS_BOMB_REPEATS)


def ordinary_drawing(number: int) -> bytes:
    """A drawing as the canvas sends it (white strokes on a transparent 280x280 PNG), placed by `number`."""
    image = Image.new("RGBA", (280, 280), (0, 0, 0, 0))
    offset = number % 60
    ImageDraw.Draw(image).line([(60 + offset, 40), (200, 40 + offset), (210, 240), (70, 240 - offset)],
                               fill=(255, 255, 255, 255), width=16)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def canvas_message(canvas_id: str, kind: str, number: int) -> WidgetState:
    """The canvas's state with a drawing: the bomb (`number` in a comment segment, so that each one is new bytes and
    no cache answers it) or an ordinary drawing."""
    if kind == "bomb":
        comment = f"drawing {number}".encode()
        picture = canvas_bomb()[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + canvas_bomb()[2:]
    else:
        picture = ordinary_drawing(number)
    url = "data:image/png;base64," + base64.b64encode(picture).decode()
    state = WidgetState(id=canvas_id)
    state.json_value = json.dumps({"drawing": {"png": url, "strokes": 1, "version": number}})
    return state


async def attacker(url: str, number: int, kind: str, *, interval_s: float, start_at: float, stop_at: float,
                   answers: list[dict]) -> None:
    """Sends drawings of `kind` from start_at until stop_at: one, and when it is answered, the next `interval_s`
    after the last was sent."""
    tab = CanvasTab(url)
    try:
        await tab.connect()
        run = await tab.open_page(GARMENT)
        if not await run.wait(load.PAGE_TIMEOUT_S) or tab.canvas_id is None:
            answers.append({"attacker": number, "error": "the garment page did not open"})
            return
        await load._sleep_until(start_at)
        sent = 0
        while time.perf_counter() < stop_at:
            sent += 1
            run = await tab.rerun([canvas_message(tab.canvas_id, kind, number * 1000 + sent)])
            answered = await run.wait(max(stop_at - time.perf_counter(), 0) + 5)
            answers.append({"attacker": number, "answered": answered,
                            "seconds": round(run.finished_at - run.sent_at, 3) if answered and run.finished_at else None,
                            "message": run.errors[0][:100] if run.errors else None})
            if not answered:
                return
            await load._sleep_until(run.sent_at + interval_s)
    finally:
        await tab.close()


async def window(url: str, args, attackers: int = 0, kind: str = "bomb") -> dict:
    """One measured window: the students (and `attackers` tabs sending drawings of `kind`), after a short warm-up."""
    measurements = load.Measurements()
    began = time.perf_counter()
    measurements.window_start = began + args.warmup
    measurements.window_end = measurements.stop_at = measurements.window_start + args.duration
    students = [load.Student(number, url, measurements, wanderer=False, seed=args.seed, move_timeout=10.0,
                             fetch_media=True) for number in range(args.students)]
    arrivals = [began + args.warmup * 0.5 * number / args.students for number in range(args.students)]
    answers: list[dict] = []
    tasks = [asyncio.create_task(student.run(arrival)) for student, arrival in zip(students, arrivals, strict=True)]
    tasks += [asyncio.create_task(attacker(url, number, kind, interval_s=args.attack_interval,
                                           start_at=measurements.window_start, stop_at=measurements.window_end,
                                           answers=answers)) for number in range(attackers)]
    await asyncio.wait(tasks, timeout=args.warmup + args.duration + load.LATE_LIMIT_S + 10)
    measurements.stop_at = min(measurements.stop_at, time.perf_counter())
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    moves = measurements.move_ms
    result = {"p50_ms": load.percentile(moves, 0.50), "p95_ms": load.percentile(moves, 0.95),
              "max_ms": round(max(moves), 1) if moves else None, "moves": len(moves),
              "errors": sum(measurements.errors.values()), "error_kinds": dict(measurements.errors)}
    if attackers:
        done = [answer for answer in answers if answer.get("answered")]
        result["drawings_sent"] = len(answers)
        result["drawings_answered"] = len(done)
        result["messages_shown"] = sorted({answer["message"] or "none" for answer in done})
        result["answer_s_max"] = max((answer["seconds"] for answer in done), default=None)
    return result


def class_beside_attacker(args, scratch: Path) -> dict:
    (scratch / "trained").mkdir()
    windows = {}
    with load.app_servers(1, args.app_dir.resolve(), scratch) as stack:
        for name, attackers, kind in (("quiet", 0, ""), ("bombs", args.attackers, "bomb"),
                                      *([("drawings", args.attackers, "drawing")] if args.compare_drawings else [])):
            cpu_before = load.cpu_seconds(stack.pids)
            windows[name] = asyncio.run(window(stack.url, args, attackers, kind))
            cpu_after = load.cpu_seconds(stack.pids)
            if None not in (cpu_before, cpu_after):
                windows[name]["server_cpu_s"] = round(cpu_after - cpu_before, 1)  # the window and its warm-up
    quiet_p95 = windows["quiet"]["p95_ms"]
    return {"app_dir": str(args.app_dir), "students": args.students, "attackers": args.attackers,
            "attack_interval_s": args.attack_interval, "duration_s": args.duration, **windows,
            "p95_ratio_bombs": round(windows["bombs"]["p95_ms"] / quiet_p95, 2)
            if quiet_p95 and windows["bombs"]["p95_ms"] else None}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decode-timeout", type=float, default=10.0,
                        help="CPU seconds a plain Pillow decode may use (the full bomb would take minutes)")
    parser.add_argument("--sample-repeats", type=int, default=2_000, help="the smaller bomb decoded in full")
    parser.add_argument("--sample-profiles", type=int, default=300, help="the smaller profile flood decoded in full")
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--attackers", type=int, default=4, help="tabs sending the canvas bomb at once")
    parser.add_argument("--attack-interval", type=float, default=1.0,
                        help="seconds from one of a tab's drawings to its next (once the last was answered; 0: at once)")
    parser.add_argument("--compare-drawings", action="store_true",
                        help="a third window: the attackers' tabs send ordinary drawings at the same pace")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured in each window")
    parser.add_argument("--warmup", type=float, default=6.0, help="seconds of load before each window")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--app-dir", type=Path, default=load.PROJECT_ROOT, help="the checkout to serve")
    parser.add_argument("--skip-decode", action="store_true", help="only part 2")
    parser.add_argument("--skip-load", action="store_true", help="only part 1")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = {"cpu_count": os.cpu_count(), "bomb_bytes": len(scan_bomb_jpeg()),
              "bomb_scans": jpeg_scan_count(scan_bomb_jpeg())}
    with tempfile.TemporaryDirectory(prefix="ae-lab-bomb-") as scratch_name:
        scratch = Path(scratch_name)
        if not args.skip_decode:
            result["decoding"] = decoding(args, scratch)
        if not args.skip_load:
            result["load"] = class_beside_attacker(args, scratch)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
