"""Shapes shared by every endpoint: pages of results and error bodies."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from ninja import Schema


class NotFoundOut(Schema):
    detail: str


class ErrorItem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[ErrorItem]


def responses(status: int, schema: Any, *, extra: tuple[int, ...] = ()) -> dict[int, Any]:
    """The documented responses of an operation: its success, plus 401 and 422 (bad
    parameters), and any of 403/404 it can give."""
    shapes: dict[int, Any] = {status: schema, 401: NotFoundOut, 422: ValidationErrorOut}
    for code in extra:
        shapes[code] = NotFoundOut
    return shapes


def page_of(queryset: QuerySet, *, page: int, page_size: int) -> tuple[int, list[Any]]:
    """The total and one page of a queryset (pages start at 1)."""
    count = queryset.count()
    start = (page - 1) * page_size
    return count, list(queryset[start : start + page_size])


def validation_error_body(error: ValidationError) -> dict[str, list[dict[str, Any]]]:
    """A service's ValidationError in the same shape as the API's own 422s."""
    items: list[dict[str, Any]] = []
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            loc = ["body"] if field == "__all__" else ["body", *field.split(".")]
            items.extend({"loc": loc, "msg": m, "type": "value_error"} for m in messages)
    else:
        items.extend({"loc": ["body"], "msg": m, "type": "value_error"} for m in error.messages)
    return {"detail": items}
