"""Who may reach a member of staff's account: NSPCC admins reach any staff account (to
reset a lost second factor); site managers reach the staff of their sites (``staff.py``)."""

from django.db.models import QuerySet

from babysteps.accounts.models import User
from babysteps.accounts.selectors import roles_for
from babysteps.core.access import one


def staff_for_admin(user: User) -> QuerySet[User]:
    """Every account, for NSPCC admins; none for anyone else."""
    return User.objects.all() if roles_for(user).is_admin else User.objects.none()


def staff_member_for_admin(user: User, user_id: int | str) -> User:
    """One account an NSPCC admin may act on; else 404."""
    return one(staff_for_admin(user), user_id)
