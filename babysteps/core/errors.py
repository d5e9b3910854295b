"""Error reports never carry family data.

Django's error reports (the 500 email to ADMINS, the technical page when DEBUG is off
but a report is rendered) include local variables and POST data. Here every local and
every POST value is masked, whatever the view, so free text typed about a family (a
referral summary, a question to a facilitator, notes) cannot leak into an error report.
"""

from collections.abc import ItemsView
from types import FrameType
from typing import Any

from django.http import HttpRequest
from django.views.debug import SafeExceptionReporterFilter


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request: HttpRequest | None) -> dict[str, Any]:
        if request is None:
            return {}
        if not self.is_active(request):
            return super().get_post_parameters(request)
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(
        self, request: HttpRequest | None, tb_frame: FrameType
    ) -> ItemsView[str, Any]:
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return dict.fromkeys(tb_frame.f_locals, self.cleansed_substitute).items()
