from django.http import HttpRequest

from babysteps import access
from babysteps.accounts.selectors import roles_for
from babysteps.core.panels import Panel, register


@register("home")
def library_links(request: HttpRequest, obj: object) -> Panel | None:
    roles = roles_for(request.user)
    if not roles.sees_family_records:
        return None
    return Panel(
        "videos/panel_home.html",
        {"can_manage": access.can_manage_library(request.user)},
        order=90,
    )
