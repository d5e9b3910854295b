"""Bringing a site's families in from a spreadsheet: a preview that checks every row and
finds duplicates before anything is saved, then an all-or-nothing import."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.cohorts.models import Cohort, Enrolment
from babysteps.cohorts.services import family_register
from babysteps.families.duplicates import Certainty, Index, Match
from babysteps.imports import reading
from babysteps.imports.rows import FamilyRow, Problem, check_row, header_problems
from babysteps.imports.selectors import existing_people
from babysteps.licensing.models import Site


@dataclass(frozen=True)
class Duplicate:
    """A row that may already be recorded: as an existing family, or an earlier line."""

    line: int
    certainty: Certainty
    family_id: int | None = None
    earlier_line: int | None = None
    family_site_id: int | None = None

    @property
    def can_create(self) -> bool:
        """A certain duplicate (the same identifier) can never be recorded twice."""
        return self.certainty == Certainty.LIKELY

    def __str__(self) -> str:
        target = (
            f"family {self.family_id}"
            if self.family_id is not None
            else f"line {self.earlier_line}"
        )
        return f"line {self.line}: duplicate of {target} ({self.certainty})"


@dataclass
class Preview:
    site: Site
    cohort: Cohort | None
    rows: list[FamilyRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)
    duplicates: dict[int, Duplicate] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems and not self.file_problems

    def to_create(self, create_lines: set[int]) -> list[FamilyRow]:
        """The rows that will be saved: all but the duplicates, except the likely ones
        the manager chose to create anyway."""
        chosen = []
        for row in self.rows:
            duplicate = self.duplicates.get(row.line)
            if duplicate is None or (duplicate.can_create and row.line in create_lines):
                chosen.append(row)
        return chosen


@dataclass(frozen=True)
class Outcome:
    created: int
    duplicates: int
    skipped: int
    family_ids: list[int]

    def __str__(self) -> str:
        return f"created {self.created}, duplicates {self.duplicates}, skipped {self.skipped}"


def _find_duplicates(preview: Preview) -> None:
    people = [row.person for row in preview.rows]
    existing = existing_people(site=preview.site, people=people)
    earlier = Index()
    for row, person in zip(preview.rows, people, strict=True):
        match: Match | None = existing.index.match(person)
        if match is not None:
            preview.duplicates[row.line] = Duplicate(
                line=row.line,
                certainty=match.certainty,
                family_id=match.key,
                family_site_id=existing.site_of[match.key],
            )
        else:
            match = earlier.match(person)
            if match is not None:
                preview.duplicates[row.line] = Duplicate(
                    line=row.line, certainty=match.certainty, earlier_line=match.key
                )
        earlier.add(person)


def _check_cohort(preview: Preview, today: date) -> None:
    cohort = preview.cohort
    if cohort is None:
        return
    if cohort.site_id != preview.site.pk:
        preview.file_problems.append(f"{cohort} is not a cohort of {preview.site}.")
    elif not preview.site.can_deliver(today):
        preview.file_problems.append(
            f"{preview.site}'s licence is not in force, so its cohorts cannot take families."
        )


def check_places(preview: Preview, create_lines: set[int]) -> None:
    """Refuse a cohort without room for the families to be created (and the likely
    duplicates chosen to be created too)."""
    cohort = preview.cohort
    if cohort is None or not preview.valid:
        return
    taken = Enrolment.objects.filter(cohort=cohort, status__in=Enrolment.HOLDS_PLACE).count()
    wanted = len(preview.to_create(create_lines))
    if wanted > cohort.capacity - taken:
        preview.file_problems.append(
            f"{cohort} has {max(cohort.capacity - taken, 0)} places left for {wanted} "
            "families: import them without a cohort, or choose a bigger one."
        )


def preview_import(
    *,
    site: Site,
    cohort: Cohort | None,
    sheet: reading.Sheet,
    create_lines: set[int] | None = None,
    today: date | None = None,
) -> Preview:
    """Check every row and find duplicates; saves nothing."""
    day = today or timezone.localdate()
    preview = Preview(site=site, cohort=cohort)
    _check_cohort(preview, day)
    preview.problems.extend(header_problems(sheet.columns))
    if preview.problems:
        return preview
    if not sheet.rows:
        preview.file_problems.append("The file has a header but no families.")
    for line, cells in sheet.rows:
        checked = check_row(line, cells, site=site, today=day)
        if isinstance(checked, list):
            preview.problems.extend(checked)
        else:
            preview.rows.append(checked)
    if preview.valid:
        _find_duplicates(preview)
        check_places(preview, create_lines or set())
    return preview


@transaction.atomic
def import_families(
    *,
    preview: Preview,
    imported_by: User | None,
    create_lines: set[int] | None = None,
    actor_label: str = "",
    today: date | None = None,
) -> Outcome:
    """Save the previewed rows, all or none. ``create_lines`` are the likely duplicates the
    manager chose to record anyway; every other duplicate is skipped."""
    if not preview.valid:
        raise ValidationError(_("The file has problems: correct them and upload it again."))
    chosen = preview.to_create(create_lines or set())
    family_ids = []
    for row in chosen:
        try:
            family = family_register(
                site=preview.site,
                created_by=imported_by,
                cohort=preview.cohort,
                mother=row.mother,
                partner=row.partner,
                today=today,
                **row.values,
            )
        except ValidationError as exc:
            raise ValidationError(
                _("line %(line)s: %(problems)s")
                % {"line": row.line, "problems": " ".join(exc.messages)}
            ) from exc
        family_ids.append(family.pk)
    outcome = Outcome(
        created=len(chosen),
        duplicates=len(preview.duplicates),
        skipped=len(preview.rows) - len(chosen),
        family_ids=family_ids,
    )
    audit_record(
        actor=imported_by,
        actor_label=actor_label,
        action=Action.CREATE,
        object_type="family_import",
        site_id=preview.site.pk,
        detail={
            "rows": len(preview.rows),
            "created": outcome.created,
            "duplicates": outcome.duplicates,
            "skipped": outcome.skipped,
            "cohort": preview.cohort.pk if preview.cohort else None,
        },
    )
    return outcome
