"""What an uploaded file really is, judged by its content (never its name), and how long
a video lasts, read from its container header. Pure: no Django.

Accepted video containers are the two every current browser plays: MP4 (ISO base media)
and WebM. The duration is read from the MP4 ``mvhd`` box or the WebM ``Info`` element;
when it cannot be read, the uploader enters it.
"""

import struct
from typing import BinaryIO

import filetype

VIDEO_TYPES = {"video/mp4": "mp4", "video/webm": "webm"}
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
SNIFF_BYTES = 8192


def sniff(head: bytes) -> str | None:
    """The MIME type the bytes really are (None when unknown)."""
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.mime in ("video/quicktime", "video/x-m4v"):
        return "video/mp4" if b"ftyp" in head[:12] and b"qt  " not in head[8:12] else kind.mime
    return kind.mime


# --- MP4 ------------------------------------------------------------------------------


def _boxes(f: BinaryIO, start: int, end: int):
    pos = start
    while pos + 8 <= end:
        f.seek(pos)
        header = f.read(8)
        if len(header) < 8:
            return
        size, kind = struct.unpack(">I4s", header)
        header_len = 8
        if size == 1:
            large = f.read(8)
            if len(large) < 8:
                return
            size = struct.unpack(">Q", large)[0]
            header_len = 16
        elif size == 0:
            size = end - pos
        if size < header_len:
            return
        yield kind, pos + header_len, pos + size
        pos += size


def _mp4_duration(f: BinaryIO, size: int) -> float | None:
    for kind, body, end in _boxes(f, 0, size):
        if kind != b"moov":
            continue
        for inner, ibody, _ in _boxes(f, body, end):
            if inner != b"mvhd":
                continue
            f.seek(ibody)
            version = f.read(1)
            if not version:
                return None
            f.read(3)
            if version[0] == 1:
                f.read(16)
                timescale, duration = struct.unpack(">IQ", f.read(12))
            else:
                f.read(8)
                timescale, duration = struct.unpack(">II", f.read(8))
            return duration / timescale if timescale else None
    return None


# --- WebM (EBML) --------------------------------------------------------------------------

_SEGMENT, _INFO, _TIMECODE_SCALE, _DURATION = 0x18538067, 0x1549A966, 0x2AD7B1, 0x4489
_CLUSTER = 0x1F43B675


def _vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int] | None:
    if pos >= len(data):
        return None
    first = data[pos]
    length = 1
    mask = 0x80
    while length <= 8 and not first & mask:
        mask >>= 1
        length += 1
    if length > 8 or pos + length > len(data):
        return None
    value = first if keep_marker else first & (mask - 1)
    for byte in data[pos + 1 : pos + length]:
        value = (value << 8) | byte
    return value, pos + length


def _elements(data: bytes, pos: int, end: int):
    while pos < end:
        ident = _vint(data, pos, keep_marker=True)
        if ident is None:
            return
        size = _vint(data, ident[1], keep_marker=False)
        if size is None:
            return
        body = size[1]
        unknown = size[0] == (1 << (7 * (size[1] - ident[1]))) - 1
        yield ident[0], body, end if unknown else min(body + size[0], end)
        if unknown:
            return
        pos = body + size[0]


def _webm_duration(head: bytes) -> float | None:
    for ident, body, end in _elements(head, 0, len(head)):
        if ident != _SEGMENT:
            continue
        for child, cbody, cend in _elements(head, body, end):
            if child == _CLUSTER:
                return None
            if child != _INFO:
                continue
            scale, duration = 1_000_000, None
            for item, ibody, iend in _elements(head, cbody, cend):
                raw = head[ibody:iend]
                if item == _TIMECODE_SCALE and raw:
                    scale = int.from_bytes(raw, "big")
                elif item == _DURATION and len(raw) in (4, 8):
                    duration = struct.unpack(">f" if len(raw) == 4 else ">d", raw)[0]
            return duration * scale / 1e9 if duration else None
    return None


def probe_duration(f: BinaryIO, *, mime: str, size: int) -> float | None:
    """Seconds, from the container header; None when it cannot be read."""
    try:
        if mime == "video/mp4":
            return _mp4_duration(f, size)
        if mime == "video/webm":
            f.seek(0)
            return _webm_duration(f.read(256 * 1024))
    except (struct.error, ValueError, OSError):
        return None
    finally:
        f.seek(0)
    return None
