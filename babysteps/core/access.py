"""The shared core of the access chokepoints.

Each app keeps its own chokepoints in ``babysteps/<app>/access.py`` (``family_for_user``,
``referral_for_user`` ...): "may this user reach this object?", answered with the object
or a 404. Never a 403, which would confirm that another site's record exists. They are
built on the two helpers here; reads are written to the audit trail through
``babysteps.audit.reads``.
"""

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

NOT_FOUND = "Not found."
_Model = TypeVar("_Model", bound=Model)


def as_id(value: object) -> int:
    """An object id from a URL or a form, or the common 404 for anything else."""
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND) from None


def one(queryset: QuerySet[_Model], object_id: object) -> _Model:
    """The object with this id in ``queryset`` (the user's scope); else the same 404 as
    for an id that does not exist, so nothing outside the scope is confirmed."""
    obj = queryset.filter(pk=as_id(object_id)).first()
    if obj is None:
        raise Http404(NOT_FOUND)
    return obj
