"""What an untrusted PNG's or JPEG's own structure says before a pixel is decoded: its size, and whether decoding it
would take more work than a picture of that size ever needs.

Bytes and pixels do not bound the work of a decoder (docs/security.md, "Uploads"; bench/decode_bomb.py measures each):
- A progressive JPEG is stored in scans, and libjpeg passes over every block of a component once per scan, however
  few bytes the scan holds (an "end of band" run covers 32,767 blocks in two bytes; a refinement scan still visits
  each block's 63 coefficients). The issue's 4.9 MB, 2000x2000 JPEG whose 14-byte scan is repeated 349,000 times
  took ~150 s of CPU in Pillow; built with its last scan, a refinement scan, repeated (~2.9 ms a copy here), ~1,000 s.
  Real progressive
  JPEGs have a handful of scans: libjpeg's own progression (Pillow, ImageMagick, most cameras and editors) writes 10
  for colour and 6 for gray. So more than MAX_JPEG_SCANS scans is refused: at the limit a 4-megapixel JPEG decodes
  in ~0.16 s, less than a 4-megapixel photo of noise (~0.18 s).
- Before the first scan Pillow reads the markers in Python, stepping over stray bytes one at a time: 5 MB of fill
  bytes took ~3 s, 1.3 million empty comments ~2 s. Hence MAX_JPEG_SEGMENTS and MAX_JPEG_STRAY_BYTES.
- A PNG's pixel data inflates to at most its declared size (Pillow stops when the image is full: a 1 MB data chunk
  that would inflate to 1 GiB decodes in ~0.01 s), and its text chunks
  share a 64 MB budget (PngImagePlugin.MAX_TEXT_MEMORY). But Pillow handles every chunk in Python (430,000 empty
  chunks in 5 MB: ~2 s) and inflates each colour profile (iCCP) up to 1 MB with no shared budget (4,900 of them,
  1 KB each: ~12 s). So a PNG of more than MAX_PNG_CHUNKS chunks, or more than MAX_PNG_COMPRESSED_CHUNKS compressed
  metadata chunks (iCCP, zTXt, compressed iTXt), is refused.

The walks below read only lengths and marker bytes (regular-expression searches over entropy-coded data, run in C),
and stop as soon as a limit is passed: reading a file's structure costs microseconds to milliseconds, whatever it
holds. Where they cannot follow the structure (a truncated file), they stop and leave the verdict to the decoder,
which then fails the same way.

Usage: `layout = read_layout(data, "JPEG")`  # None: no frame header; layout.width, .height, .excess (None when fine)
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

MAX_JPEG_SCANS = 64  # six times libjpeg's own progression; 64 scans of 4 megapixels: ~0.16 s (bench/decode_bomb.py)
MAX_JPEG_SEGMENTS = 1024  # a progressive JPEG with a big profile and XMP has ~50; Pillow reads each in Python
MAX_JPEG_STRAY_BYTES = 1024  # padding or junk between the segments before the first scan (libjpeg writes none)
MAX_PNG_CHUNKS = 20_000  # libpng writes 8 KB data chunks: a 5 MB PNG has ~640; one chunk a row fits 20,000 rows
MAX_PNG_COMPRESSED_CHUNKS = 8  # a colour profile and a few compressed texts, each inflating to at most 1 MB

# The markers of segments that carry a length (0xC0-0xCF, 0xDA-0xFE) and the end of the image (0xD9): 0xFF and
# that byte, as libjpeg's next_marker() and its entropy decoders find them (0xFF 0x00 is a stuffed 0xFF in entropy-
# coded data, more 0xFF bytes are fill). The restart markers (0xD0-0xD7), a second start of image (0xD8) and invalid
# ones (below 0xC0) carry no length, so stepping over them, as the search does, hides nothing after them. Two fixed
# bytes: the search is linear, even through a run of 0xFF.
_SEGMENT_MARKER = re.compile(rb"\xff[\xc0-\xcf\xd9-\xfe]")
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # frame headers; not DHT, JPG, DAC
_START_OF_SCAN, _END_OF_IMAGE = 0xDA, 0xD9
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_COMPRESSED_METADATA = (b"iCCP", b"zTXt")


@dataclass(frozen=True)
class Layout:
    """A picture's declared size and, when decoding it would cost more than its size warrants, why (for logs)."""

    width: int  # 0 (and height 0) when a limit was passed before the frame header came
    height: int
    excess: str | None = None  # e.g. "more than 64 scans"; None: within the decoding budget


def read_layout(data: bytes, file_format: str) -> Layout | None:
    """The layout of PNG or JPEG bytes (`file_format` "PNG" or "JPEG"), or None when they declare no size."""
    if file_format == "PNG":
        return _png_layout(data)
    if file_format == "JPEG":
        return _jpeg_layout(data)
    raise ValueError(f"Expected 'PNG' or 'JPEG', got {file_format!r}.")


def _png_layout(data: bytes) -> Layout | None:
    """Width and height from the IHDR chunk (the format requires it first), then the chunks counted up to IEND."""
    if not data.startswith(_PNG_SIGNATURE) or len(data) < 24 or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    position, chunks, compressed = len(_PNG_SIGNATURE), 0, 0
    while position + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, position)
        chunks += 1
        if chunks > MAX_PNG_CHUNKS:
            return Layout(width, height, f"more than {MAX_PNG_CHUNKS} chunks")
        if kind in _PNG_COMPRESSED_METADATA or (kind == b"iTXt" and _is_compressed_itxt(data, position + 8, length)):
            compressed += 1
            if compressed > MAX_PNG_COMPRESSED_CHUNKS:
                return Layout(width, height, f"more than {MAX_PNG_COMPRESSED_CHUNKS} compressed metadata chunks")
        if kind == b"IEND":
            break
        position += 12 + length  # length, type, data, checksum
    return Layout(width, height)


def _is_compressed_itxt(data: bytes, start: int, length: int) -> bool:
    """An iTXt chunk's compression flag: the byte after its keyword (1-79 bytes and a zero byte)."""
    keyword_end = data.find(b"\x00", start, min(start + 80, start + length))
    return keyword_end != -1 and keyword_end + 1 < start + length and data[keyword_end + 1] == 1


def _jpeg_layout(data: bytes) -> Layout | None:
    """Width and height from the first frame header (SOFn), then the segments and scans counted up to the end of the
    image, and the stray bytes before the first scan (where Pillow reads markers in Python, one byte at a time).

    Markers are found as libjpeg finds them (whatever lies between segments is skipped, as its next_marker() does),
    and a segment is skipped by its length only where libjpeg skips it by its length too: so no scan libjpeg would
    decode goes uncounted. Every step of the loop is a segment, so the loop ends within MAX_JPEG_SEGMENTS steps.
    """
    size, scans, segments, stray, position = None, 0, 0, 0, 2  # after the start-of-image marker
    while True:
        # Before the first scan, the search ends where the stray bytes would pass their limit.
        end = len(data) if scans else min(len(data), position + MAX_JPEG_STRAY_BYTES - stray + 2)
        found = _SEGMENT_MARKER.search(data, position, end)
        if found is None:
            if end < len(data):
                return Layout(*(size or (0, 0)), f"more than {MAX_JPEG_STRAY_BYTES} stray bytes before the first scan")
            break
        if scans == 0:
            stray += found.start() - position
        marker, position = data[found.start() + 1], found.end()
        if marker == _END_OF_IMAGE or position + 2 > len(data):
            break
        segments += 1
        if segments > MAX_JPEG_SEGMENTS:
            return Layout(*(size or (0, 0)), f"more than {MAX_JPEG_SEGMENTS} segments")
        (length,) = struct.unpack_from(">H", data, position)
        if marker in _SOF_MARKERS and size is None:
            if position + 7 > len(data):
                return None
            height, width = struct.unpack_from(">HH", data, position + 3)
            size = (width, height)
        elif marker == _START_OF_SCAN:
            if size is None:
                return None  # a scan before any frame header: nothing to decode it into
            scans += 1
            if scans > MAX_JPEG_SCANS:
                return Layout(*size, f"more than {MAX_JPEG_SCANS} scans")
        position += length  # the length counts itself; a scan's entropy-coded data follows its header
    return Layout(*size) if size is not None else None
