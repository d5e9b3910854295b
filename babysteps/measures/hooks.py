"""What happens when a questionnaire is scored, for the apps above this one.

Scoring a questionnaire can call for more than storing it: the alerts app raises a safety
alert when a safety item is above 0 or the total is in the highest band. That app sits
above this one (it reads questionnaires), so it registers a handler here in its
``AppConfig.ready`` instead of being imported. Handlers run inside the submitting
transaction: if one fails, the answers are not stored either.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from babysteps.accounts.models import User
from babysteps.measures.models import Administration
from babysteps.measures.scoring import Score

# handler(administration=, score=, actor=, actor_label=, now=) -> the records it made.
ScoredHandler = Callable[..., list[Any]]
_handlers: list[ScoredHandler] = []


def on_scored(handler: ScoredHandler) -> ScoredHandler:
    """Register a handler (idempotent, so a second ``ready`` adds nothing)."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def administration_scored(
    *,
    administration: Administration,
    score: Score,
    actor: User | None,
    actor_label: str = "",
    now: datetime | None = None,
) -> list[Any]:
    """Run every handler; return what they made, in registration order."""
    made: list[Any] = []
    for handler in _handlers:
        made.extend(
            handler(
                administration=administration,
                score=score,
                actor=actor,
                actor_label=actor_label,
                now=now,
            )
        )
    return made


# handler(administration=, voided_by=, reason=, now=) -> None; runs inside the voiding
# transaction (the alerts app closes the questionnaire's alerts as entered in error).
VoidedHandler = Callable[..., None]
_voided_handlers: list[VoidedHandler] = []


def on_voided(handler: VoidedHandler) -> VoidedHandler:
    """Register a handler for a voided administration (idempotent)."""
    if handler not in _voided_handlers:
        _voided_handlers.append(handler)
    return handler


def administration_voided(
    *, administration: Administration, voided_by: User, reason: str, now: datetime
) -> None:
    for handler in _voided_handlers:
        handler(administration=administration, voided_by=voided_by, reason=reason, now=now)
