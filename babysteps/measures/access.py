"""Who may reach a questionnaire (an administration): whoever may open its family's
record. Evaluators never reach one: they see pseudonymised figures only."""

from django.db.models import QuerySet

from babysteps.accounts.models import User
from babysteps.accounts.selectors import roles_for
from babysteps.audit.models import Action
from babysteps.audit.reads import read_record
from babysteps.core.access import one
from babysteps.families.access import families_for_user
from babysteps.measures.models import Administration


def administrations_for_user(user: User) -> QuerySet[Administration]:
    """Questionnaires of the families the user may open (identifiable: not evaluators)."""
    return Administration.objects.filter(family__in=families_for_user(user))


def administration_for_user(
    user: User,
    administration_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> Administration:
    """One questionnaire with its family, parent and instrument loaded; else 404."""
    administration = one(
        administrations_for_user(user).select_related(
            "family__site", "parent", "instrument", "recorded_by", "cohort"
        ),
        administration_id,
    )
    read_record(
        actor=user,
        action=action,
        object_type="administration",
        object_id=administration.pk,
        family_id=administration.family_id,
        site_id=administration.family.site_id,
        channel=channel,
        reason=reason,
    )
    return administration


def can_void(user: User, administration: Administration) -> bool:
    """Facilitators and managers of the family's site void a questionnaire entered in
    error (they enter them; an NSPCC admin reads the family but does not change it)."""
    return administration.family.site_id in roles_for(user).site_ids
