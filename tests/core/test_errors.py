"""Error reports carry no family data: every local and POST value is masked."""

import sys

from django.test import RequestFactory, override_settings
from django.views.debug import ExceptionReporter


@override_settings(DEBUG=False)
def test_error_reports_mask_locals_and_post_data():
    request = RequestFactory().post(
        "/safeguarding/signpost/", {"summary": "Partner shouts at her every night"}
    )
    summary = "Partner shouts at her every night"  # a local in the failing frame

    try:
        raise ValueError("boom")
    except ValueError:
        reporter = ExceptionReporter(request, *sys.exc_info())
        text = reporter.get_traceback_text()
        html = reporter.get_traceback_html()
    assert summary not in text
    assert summary not in html
    assert "summary" in text  # the name is kept, so the report is still useful
