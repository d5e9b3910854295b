"""Parents' questions, reached by staff only under a family they already reached (and
whose read was audited) through ``family_for_user``."""

from babysteps.accounts.models import User
from babysteps.core.access import one
from babysteps.families.models import Family
from babysteps.portal.models import ParentQuestion


def question_for_user(user: User, question_id: int | str, *, family: Family) -> ParentQuestion:
    """A parent's question, under a family already reached through ``family_for_user``."""
    return one(ParentQuestion.objects.filter(family=family), question_id)
