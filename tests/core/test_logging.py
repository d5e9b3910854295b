"""Search terms, tokens and codes stay out of the logs: request lines lose their query
strings, in the app's logging and in the documented gunicorn access-log format."""

import io
import logging
import runpy
from pathlib import Path

from babysteps.core.logging import DropQueryStrings

ROOT = Path(__file__).resolve().parents[2]


def test_request_lines_lose_their_query_strings():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /families/?q=9434765919 HTTP/1.1", "200", "512"),
        None,
    )
    assert DropQueryStrings().filter(record)
    line = record.getMessage()
    assert "9434765919" not in line and "/families/?[removed]" in line


def test_the_servers_request_log_drops_them():
    """runserver's request lines go through the filter (as configured in settings)."""
    logger = logging.getLogger("django.server")
    (handler,) = [
        h for h in logger.handlers if any(isinstance(f, DropQueryStrings) for f in h.filters)
    ]
    stream = io.StringIO()
    # Swapped directly: setStream would flush the old stream, which the test runner's
    # output capture may already have closed.
    previous, handler.stream = handler.stream, stream
    try:
        logger.info(
            '"%s" %s %s', "GET /portal/sign-in/link/?token=secret-token HTTP/1.1", "200", "90"
        )
    finally:
        handler.stream = previous
    written = stream.getvalue()
    assert "/portal/sign-in/link/?[removed]" in written and "secret-token" not in written


def test_the_access_log_format_leaves_out_the_query_string():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert "%(U)s" in config["access_log_format"]
    assert "%(r)s" not in config["access_log_format"] and "%(q)s" not in config["access_log_format"]
    assert config["worker_class"] == "gthread"
