"""Pictures built to cost a decoder far more work than their bytes and pixels suggest, each under the upload limits:
for the tests (tests/test_images.py, the garment page's) and bench/decode_bomb.py. ae_core/picture_structure.py says
why each is refused.

Usage: `data = scan_bomb_jpeg()`  # the issue's 4.9 MB progressive JPEG: ~1,000 s of CPU in plain Pillow here
"""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

BOMB_SIDE = 2000  # 4 megapixels: as large as an upload may be
BOMB_REPEATS = 349_000  # the file: 4.9 MB, under the 5 MB limit
END_OF_IMAGE = b"\xff\xd9"


def progressive_jpeg(image: Image.Image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", progressive=True, **options)
    return buffer.getvalue()


def with_last_scan_repeated(jpeg: bytes, repeats: int) -> bytes:
    """`jpeg` (a progressive JPEG) with its last scan (its header and entropy-coded data) `repeats` more times before
    the end of the image: the tables it uses stay defined, and libjpeg decodes every copy over the whole image."""
    if not jpeg.endswith(END_OF_IMAGE):
        raise ValueError("Expected a JPEG that ends with its end-of-image marker.")
    last_scan = jpeg[jpeg.rindex(b"\xff\xda"):-len(END_OF_IMAGE)]
    return jpeg[:-len(END_OF_IMAGE)] + last_scan * repeats + END_OF_IMAGE


def jpeg_scan_count(jpeg: bytes) -> int:
    """The scans of a JPEG written by Pillow (no 0xFF 0xDA inside its other segments)."""
    return jpeg.count(b"\xff\xda")


def scan_bomb_jpeg(repeats: int = BOMB_REPEATS, side: int = BOMB_SIDE) -> bytes:
    """A uniform gray progressive JPEG whose last scan (an AC refinement scan of 14 bytes: an end-of-band run over
    every block) is repeated `repeats` times. Each copy makes libjpeg visit every coefficient of all side²/64 blocks
    (~2.9 ms at 2000×2000 here, bench/decode_bomb.py)."""
    return with_last_scan_repeated(progressive_jpeg(Image.new("L", (side, side), 128)), repeats)


def jpeg_with_segments_before_frame(jpeg: bytes, comments: int) -> bytes:
    """`jpeg` with `comments` empty comment segments (4 bytes each) after its start: Pillow reads each in Python."""
    return jpeg[:2] + b"\xff\xfe\x00\x02" * comments + jpeg[2:]


def jpeg_with_fill_before_scan(jpeg: bytes, fill_bytes: int) -> bytes:
    """`jpeg` with `fill_bytes` 0xFF fill bytes before its first scan's marker (allowed by the standard): Pillow steps
    over them one byte at a time, in Python."""
    first_scan = jpeg.index(b"\xff\xda")
    return jpeg[:first_scan] + b"\xff" * fill_bytes + jpeg[first_scan:]


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_with_chunks_before_pixels(png: bytes, chunks: list[bytes]) -> bytes:
    """`png` with `chunks` (whole chunks, from png_chunk) right after its header chunk."""
    header_end = 8 + 25  # signature, then IHDR: length, type, 13 bytes, checksum
    return png[:header_end] + b"".join(chunks) + png[header_end:]


def chunk_flood_png(png: bytes, count: int) -> bytes:
    """`png` with `count` empty private chunks (12 bytes each) before its pixels: Pillow handles each in Python."""
    return png_with_chunks_before_pixels(png, [png_chunk(b"prVt", b"")] * count)


def profile_flood_png(png: bytes, count: int) -> bytes:
    """`png` with `count` colour-profile chunks (~1 KB each) that each inflate to 1,000,000 bytes in Pillow."""
    profile = png_chunk(b"iCCP", b"icc\x00\x00" + zlib.compress(bytes(1_000_000), 9))
    return png_with_chunks_before_pixels(png, [profile] * count)


def png_in_data_chunks(png: bytes, count: int) -> bytes:
    """`png` (with one data chunk, as Pillow writes a small picture) with its pixel data split over `count` chunks."""
    start = png.index(b"IDAT") - 4
    (length,) = struct.unpack_from(">I", png, start)
    data = png[start + 8:start + 8 + length]
    step = -(-len(data) // count)
    pieces = [png_chunk(b"IDAT", data[offset:offset + step]) for offset in range(0, len(data), step)]
    return png[:start] + b"".join(pieces) + png[start + 12 + length:]


def png_inflating_past_its_pixels(side: int = BOMB_SIDE, inflated_mib: int = 256) -> bytes:
    """A black `side`×`side` gray PNG whose one data chunk inflates to `inflated_mib` MiB of zeros (each MiB ~1 KB
    compressed), far more than its rows need: Pillow stops inflating once the image is full."""
    compressor = zlib.compressobj(9)
    zeros = bytes(1 << 20)
    stream = b"".join(compressor.compress(zeros) for _ in range(inflated_mib)) + compressor.flush()
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + png_chunk(b"IDAT", stream) + png_chunk(b"IEND", b"")
