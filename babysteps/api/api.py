"""The JSON API's frame: authentication, the body parser and the error shapes shared by
every endpoint. Each app writes its own router; ``babysteps/api_v1.py`` mounts them all
under /api/v1/. Access and audit go through the same chokepoints and services as the
pages."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError

from babysteps.api.auth import BearerTokenAuth, StaffSessionAuth
from babysteps.api.common import validation_error_body
from babysteps.api.parser import NulCharacterError, StrictParser
from babysteps.core.access import NOT_FOUND

api = NinjaAPI(
    title="Baby Steps API",
    version="1",
    description=(
        "Site-scoped access to Baby Steps records. Authenticate with a bearer token "
        "(`python manage.py api_token create --email EMAIL`) or a signed-in session. "
        "Every read of family data is audited. Records outside your scope are 404."
    ),
    auth=[BearerTokenAuth(), StaffSessionAuth()],
    urls_namespace="api-1",
    docs_url="/docs",
    parser=StrictParser(),
)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # The same body for unknown and out-of-scope ids, so nothing is confirmed.
    return api.create_response(request, {"detail": NOT_FOUND}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or "Your role does not allow this."}, status=403
    )


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, validation_error_body(exc), status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Authentication required: a bearer token or a session."}, status=401
    )


@api.exception_handler(NulCharacterError)
def nul_character(request: HttpRequest, exc: NulCharacterError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and isinstance(exc.__cause__, NulCharacterError):
        # Django-ninja wraps any error parsing the body in a 400.
        return nul_character(request, exc.__cause__)
    if exc.status_code == 400:
        # The only 400 the framework raises is an unparseable body: report it like any
        # other invalid input, as a 422 in the usual shape.
        body = {"detail": [{"loc": ["body"], "msg": "The body is not valid JSON.", "type": "json"}]}
        return api.create_response(request, body, status=422)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
