"""Sending a private file (a video, its poster) to someone the view has already allowed,
with HTTP range requests so that seeking works on phones and slow links.

``VIDEO_SERVE`` chooses who moves the bytes once the app has said yes:
- ``app`` (default): the app streams the file itself. Under gunicorn a whole file or a
  byte range goes out with ``sendfile`` (zero-copy), because the response carries the
  real file descriptor, positioned at the range's start, and the exact Content-Length.
- ``x-accel-redirect``: nginx serves ``VIDEO_ACCEL_PREFIX`` + the file's name from an
  ``internal`` location (ranges included).
- ``x-sendfile``: Apache (mod_xsendfile) or lighttpd serves the file's path.
- ``redirect``: a short-lived signed URL from the storage backend (e.g. S3 with query
  string auth), for object storage.
"""

from typing import BinaryIO, TypeVar, cast

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase

from babysteps.videos.ranges import Unsatisfiable, parse_range


class _RangeFile:
    """A window on an open file: ``read`` stops at the range's end; ``fileno`` lets the
    WSGI server's ``sendfile`` send exactly Content-Length bytes from the position."""

    def __init__(self, f: BinaryIO, start: int, length: int) -> None:
        f.seek(start)
        self._f = f
        self._left = length

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        want = self._left if size is None or size < 0 else min(size, self._left)
        data = self._f.read(want)
        self._left -= len(data)
        return data

    def fileno(self) -> int:
        return self._f.fileno()

    def close(self) -> None:
        self._f.close()


_Response = TypeVar("_Response", bound=HttpResponseBase)


def _open(name: str) -> BinaryIO:
    try:
        path = default_storage.path(name)
    except NotImplementedError:
        return cast(BinaryIO, default_storage.open(name, "rb"))
    return open(path, "rb", buffering=0)


def _private(response: _Response, etag: str) -> _Response:
    response["Accept-Ranges"] = "bytes"
    # Only the person's own browser may keep a copy; never a shared cache.
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    if etag:
        response["ETag"] = f'"{etag}"'
    return response


def private_file_response(
    request: HttpRequest, *, name: str, content_type: str, etag: str = ""
) -> HttpResponseBase:
    """The file, or the byte range asked for (206), for a request already allowed."""
    mode = settings.VIDEO_SERVE
    if mode == "redirect":
        return HttpResponseRedirect(default_storage.url(name))
    if mode in ("x-accel-redirect", "x-sendfile"):
        response = HttpResponse(content_type=content_type)
        if mode == "x-accel-redirect":
            response["X-Accel-Redirect"] = settings.VIDEO_ACCEL_PREFIX.rstrip("/") + "/" + name
        else:
            response["X-Sendfile"] = default_storage.path(name)
        return _private(response, etag)
    size = default_storage.size(name)
    header = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if header and if_range and if_range.strip() != f'"{etag}"':
        header = None  # the file changed since the client's copy: send it whole
    try:
        byte_range = parse_range(header, size)
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return _private(response, etag)
    f = _open(name)
    if byte_range is None:
        streamed = FileResponse(f, content_type=content_type)
        streamed["Content-Length"] = str(size)
    else:
        streamed = FileResponse(
            _RangeFile(f, byte_range.start, byte_range.length),
            status=206,
            content_type=content_type,
        )
        streamed["Content-Range"] = byte_range.content_range(size)
        streamed["Content-Length"] = str(byte_range.length)
    return _private(streamed, etag)
