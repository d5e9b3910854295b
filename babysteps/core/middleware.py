"""Response headers that every page carries."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    """A strict Content-Security-Policy: every asset is served by the app itself.

    No inline script or style is allowed anywhere, so templates keep scripts and styles in
    static files. Embedded private video hosts are the only configurable exception.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        frame_src = " ".join(["'self'", *settings.CSP_FRAME_SRC])
        self.policy = "; ".join(
            [
                "default-src 'self'",
                "script-src 'self'",
                "style-src 'self'",
                "img-src 'self' data:",
                "media-src 'self'",
                "font-src 'self'",
                "connect-src 'self'",
                f"frame-src {frame_src}",
                "object-src 'none'",
                "base-uri 'self'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            ]
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The interactive API docs page loads its own bundled assets with inline bootstrap code.
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to someone with a session (a signed-in
    member of staff or parent, or one signing in) and on every API response: pages carry
    personal data that no browser, proxy or shared computer should keep."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        has_session = session is not None and session.session_key is not None
        if has_session or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
        return response
