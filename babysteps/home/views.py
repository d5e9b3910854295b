from django.http import HttpResponse
from django.template.response import TemplateResponse

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.core.panels import render_panels
from babysteps.home import selectors


@staff_required()
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One home page; a section for each role the user holds."""
    roles = roles_for(request.user)
    context: dict[str, object] = {"top_panels": render_panels("home_top", request)}
    if roles.is_facilitator:
        context.update(selectors.facilitator_home(user=request.user))
    if roles.is_manager:
        context["site_overviews"] = selectors.manager_home(roles=roles)
    if roles.is_admin:
        context.update(selectors.admin_home())
    context["panels"] = render_panels("home", request)
    return TemplateResponse(request, "home/index.html", context)
