"""One way to paginate lists, for pages and the API alike."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def paginate(queryset: QuerySet, *, page: str | int | None, per_page: int | None = None) -> Page:
    """Return the requested page; a missing, malformed or out-of-range number gives the
    nearest valid page instead of an error, as users expect of a list."""
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(page)
