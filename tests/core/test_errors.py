"""Error reports carry no family data: every local and POST value is masked."""

import sys

from django.test import RequestFactory, override_settings
from django.views.debug import ExceptionReporter

# Built in pieces so that the report's source-code context cannot contain it whole.
SECRET = "Partner shouts " + "at her every night"


def _fail_with(summary: str) -> None:
    note = summary.upper()  # locals of the failing frame
    raise ValueError(f"failed after {len(note)} characters")


@override_settings(DEBUG=False)
def test_error_reports_mask_locals_and_post_data():
    request = RequestFactory().post("/safeguarding/signpost/", {"summary": SECRET})
    try:
        _fail_with(SECRET)
    except ValueError:
        reporter = ExceptionReporter(request, *sys.exc_info())
        text = reporter.get_traceback_text()
        html = reporter.get_traceback_html()
    for report in (text, html):
        assert SECRET not in report
        assert SECRET.upper() not in report
    assert "summary" in text  # names are kept, so the report is still useful
