"""Merging two records of one family: every record linked to the family merged in (and
to its parents) moves to the family kept, in one transaction, or nothing moves.

The records of every app are found through the models' relations (``_meta``), not by
importing them: the families app sits below the apps whose records point at a family.
Where two records cannot both belong to one family (two open cohort places, the same
questionnaire at the same time point), the database refuses and the merge is refused
with the kind of record named, so a person can resolve it first.
"""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object, audit_record
from babysteps.families.models import Family, FamilyMerge, Parent
from babysteps.families.selectors import reverse_relations
from babysteps.families.signals import family_merged


def _repoint(source: models.Model, target: models.Model, moved: Counter[str]) -> None:
    """Point every record that refers to ``source`` at ``target`` instead."""
    for relation in reverse_relations(type(source)):
        related = relation.related_model
        if related is None or related is Parent or isinstance(related, str):
            continue  # the parents themselves are matched role by role
        if getattr(related, "derived_from_records", False):
            continue  # a summary: its app works it out again (family_merged)
        label = str(related._meta.verbose_name_plural)
        if isinstance(relation, models.ManyToManyRel):
            through = relation.through
            assert through is not None and not isinstance(through, str)
            column = next(
                f.name
                for f in through._meta.get_fields()
                if getattr(f, "related_model", None) is type(source)
            )
            rows = through._base_manager.filter(**{column: source})
        else:
            column = relation.field.name
            rows = related._base_manager.filter(**{column: source})
        try:
            with transaction.atomic():
                count = rows.update(**{column: target})
        except IntegrityError:
            raise ValidationError(
                _(
                    "Both records have %(label)s that cannot belong to one family (for example two "
                    "open cohort places, or the same questionnaire at the same time point). "
                    "Resolve that on one of them first."
                )
                % {"label": label}
            ) from None
        if count:
            moved[str(label)] += count


def _merge_parents(keep: Family, merge: Family, moved: Counter[str]) -> None:
    kept = {p.role == Parent.Role.MOTHER: p for p in keep.parents.all()}
    for parent in merge.parents.all():
        same = kept.get(parent.role == Parent.Role.MOTHER)
        if same is None:
            parent.family = keep
            parent.save(update_fields=["family"])
            moved["parents"] += 1
        else:
            _repoint(parent, same, moved)
            parent.delete()


@transaction.atomic
def family_merge(*, keep: Family, merge: Family, merged_by: User) -> FamilyMerge:
    """Move every record of ``merge`` to ``keep`` and remove ``merge``'s own row. The
    kept family's details (due date, identifier, contact preferences) stand."""
    if keep.pk == merge.pk:
        raise ValidationError(_("Choose two different families."))
    if keep.site_id != merge.site_id:
        raise ValidationError(_("Families of different sites cannot be merged."))
    if keep.anonymised_at is not None or merge.anonymised_at is not None:
        raise ValidationError(_("An erased family cannot be merged."))
    # Lock both rows so nothing is added to the merged family while it moves.
    locked = {
        f.pk: f for f in Family.objects.select_for_update().filter(pk__in=[keep.pk, merge.pk])
    }
    keep, merge = locked[keep.pk], locked[merge.pk]
    moved: Counter[str] = Counter()
    _merge_parents(keep, merge, moved)
    _repoint(merge, keep, moved)
    merged_id = merge.pk
    merge.delete()
    family_merged.send(sender=Family, keep=keep, merged_family_id=merged_id)
    record = FamilyMerge.objects.create(
        kept=keep,
        merged_family_id=merged_id,
        merged_by=merged_by,
        merged_at=timezone.now(),
        moved=dict(sorted(moved.items())),
    )
    audit_record(
        actor=merged_by,
        action=Action.DELETE,
        object_type="family",
        object_id=merged_id,
        family_id=merged_id,
        site_id=keep.site_id,
        reason="merged",
        detail={"merged_into": keep.pk},
    )
    audit_object(
        actor=merged_by,
        action=Action.CHANGE,
        obj=keep,
        family_id=keep.pk,
        site_id=keep.site_id,
        reason="merge",
        detail={"merged_family": merged_id, "moved": record.moved},
    )
    return record
