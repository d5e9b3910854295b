"""The JSON API, under /api/v1/. Each app contributes a router; access and audit go
through the same chokepoints and services as the pages."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError

from babysteps.access import NOT_FOUND
from babysteps.alerts.api import router as alerts_router
from babysteps.api.auth import BearerTokenAuth, StaffSessionAuth
from babysteps.api.common import validation_error_body
from babysteps.api.parser import NulCharacterError, StrictParser
from babysteps.bookings.api import router as bookings_router
from babysteps.cohorts.api import router as cohorts_router
from babysteps.delivery.api import router as delivery_router
from babysteps.families.api import router as families_router
from babysteps.measures.api import router as measures_router
from babysteps.safeguarding.api import router as referrals_router

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


api.add_router("/families", families_router, tags=["families"])
api.add_router("/cohorts", cohorts_router, tags=["cohorts"])
api.add_router("/delivery", delivery_router, tags=["delivery"])
api.add_router("/bookings", bookings_router, tags=["bookings"])
api.add_router("/referrals", referrals_router, tags=["referrals"])
api.add_router("", measures_router, tags=["questionnaires"])
api.add_router("/alerts", alerts_router, tags=["alerts"])
