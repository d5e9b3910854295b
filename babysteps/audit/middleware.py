from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from babysteps.audit.actor import acting_as
from babysteps.audit.reads import reads_collected, reads_discard
from babysteps.core.channel import audit_channel


class AuditChannelMiddleware:
    """Marks everything a request does as coming through the API or the web pages, and
    writes the request's reads to the audit trail when it ends (one event per record read,
    naming what the page's panels showed beside it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        # request.user is lazy: naming it as the actor costs nothing until an event needs it.
        actor = getattr(request, "user", None)
        with audit_channel(channel), acting_as(actor), reads_collected():
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        # A 404 for an object the view went on to look up refuses the page as a whole, as
        # if nothing were there: nothing it read reached the user. (A PermissionDenied
        # after reaching a record still counts as a read of it.)
        if isinstance(exception, Http404):
            reads_discard()
