"""Parsing an HTTP ``Range`` header (RFC 9110, section 14). Pure: no Django.

One byte range is honoured (``bytes=0-499``, ``bytes=500-``, ``bytes=-500``); a header
with several ranges, another unit, or nonsense is ignored (the whole file is sent, which
the RFC allows); a well-formed range that lies wholly beyond the end is unsatisfiable
(416).
"""

from dataclasses import dataclass


class Unsatisfiable(Exception):
    """The range starts at or beyond the end of the file."""


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The byte range asked for, or None for the whole file. Raises Unsatisfiable."""
    if not header:
        return None
    unit, _, spec = header.strip().partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    first, last = first.strip(), last.strip()
    if not dash or (first and not first.isdigit()) or (last and not last.isdigit()):
        return None
    if not first:
        if not last:
            return None
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return ByteRange(max(size - suffix, 0), size - 1)
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # invalid: ignore the header
    if start >= size:
        raise Unsatisfiable
    return ByteRange(start, min(end, size - 1))
