from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from babysteps.audit.context import audit_channel


class AuditChannelMiddleware:
    """Marks everything a request does as coming through the API or the web pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit_channel("api" if request.path.startswith("/api/") else "web"):
            return self.get_response(request)
