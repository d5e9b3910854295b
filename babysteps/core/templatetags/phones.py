"""``{{ parent.mobile|phone }}``: a stored (E.164) number in the national format."""

from django import template

from babysteps.core.phones import display

register = template.Library()


@register.filter
def phone(value: str) -> str:
    return display(value or "")
