"""The parent portal speaks the parent's language; staff pages speak English.

For a portal page the language is, in order: the one chosen with the switcher on this
browser, the signed-in parent's (their own choice, else the family's preferred language,
noted in the session at sign-in and when they change their details), English. Both are
read from the session alone: no query, so a burst of video range requests costs nothing
more. Everything else is in the site's language (English)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from babysteps.portal.identity import SESSION_LANGUAGE, SESSION_PARENT_LANGUAGE

PORTAL_PREFIX = "/portal/"


def portal_language(request: HttpRequest) -> str:
    available = dict(settings.LANGUAGES)
    for key in (SESSION_LANGUAGE, SESSION_PARENT_LANGUAGE):
        chosen = request.session.get(key, "")
        if chosen in available:
            return chosen
    return settings.LANGUAGE_CODE


class PortalLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        portal = request.path_info.startswith(PORTAL_PREFIX)
        language = portal_language(request) if portal else settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        if portal:
            response.headers.setdefault("Content-Language", language)
            # The same address answers in several languages (chosen by the session).
            patch_vary_headers(response, ("Cookie",))
        return response
