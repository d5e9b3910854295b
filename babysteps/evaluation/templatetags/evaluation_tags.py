from typing import Any

from django import template

register = template.Library()
P_VALUES = frozenset({"p", "p_t", "p_wilcoxon"})


@register.filter
def figure(value: Any, name: str = "") -> str:
    """A figure for display: counts as integers, p-values to 3 decimals (or < 0.001),
    everything else to 2 decimals; an undefined figure is a dash."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if name in P_VALUES:
        return "< 0.001" if value < 0.001 else f"{value:.3f}"
    return f"{value:.2f}"


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def percent(value: Any) -> str:
    """A proportion (0-1) as a percentage with one decimal."""
    if value is None:
        return ""
    return f"{100 * float(value):.1f}%"
