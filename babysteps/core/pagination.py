"""One way to paginate lists, for pages and the API alike."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def paginate(
    queryset: QuerySet,
    *,
    page: str | int | None,
    per_page: int | None = None,
    count: int | None = None,
) -> Page:
    """Return the requested page; a missing, malformed or out-of-range number gives the
    nearest valid page instead of an error, as users expect of a list. ``count``: the
    number of rows when the caller has it more cheaply than counting ``queryset`` (whose
    sort may need a grouped join the count would repeat)."""
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    if count is not None:
        paginator.count = count  # replaces the cached property
    return paginator.get_page(page)
