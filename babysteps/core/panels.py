"""Extension points for pages that several apps contribute to (the home page, the family
page, the cohort page). An app registers a panel function in its ``AppConfig.ready``;
the page renders every panel that returns something, in order.
 A panel function takes ``(request, obj)`` and returns a ``Panel`` or None (nothing to show, or not
for this user). It must get any family data through the access chokepoints
(``babysteps.<app>.access``) or from ``obj``, which the page has already reached through it."""

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


# (request, obj): staff pages pass their AuthenticatedHttpRequest, which core cannot name.
PanelFunction = Callable[..., Panel | None]
_registry: dict[str, list[PanelFunction]] = {}


def register(page: str) -> Callable[[PanelFunction], PanelFunction]:
    """Decorator: ``@register("family")`` adds a panel to the family page."""

    def decorator(fn: PanelFunction) -> PanelFunction:
        if fn not in _registry.setdefault(page, []):
            _registry[page].append(fn)
        return fn

    return decorator


T = TypeVar("T")


def shared(request: HttpRequest, key: Hashable, compute: Callable[[], T]) -> T:
    """Something several panels of one page show (the family's next call, say), worked
    out once for the request. Only for reads: the request ends with the page."""
    memo: dict[Hashable, Any] = request.__dict__.setdefault("_panels_shared", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def render_panels(page: str, request: HttpRequest, obj: Any = None) -> list[SafeString]:
    panels = [p for fn in _registry.get(page, []) if (p := fn(request, obj)) is not None]
    panels.sort(key=lambda p: p.order)
    return [
        mark_safe(render_to_string(p.template, {**p.context, "obj": obj}, request=request))  # noqa: S308
        for p in panels
    ]
