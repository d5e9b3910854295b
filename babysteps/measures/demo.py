"""Demo questionnaires: pre and post EPDS, GAD-7 and WEMWBS for the Blackpool families
(mothers and partners, the 2019 face-to-face and 2020 remote cohorts, plus two more
fictitious historical cohorts so subgroups have enough completers to show), baseline
questionnaires at Riverside, and one open EPDS item-10 alert on a current Riverside family.

The direction of effects follows the published evaluation (PROGRAMME.md): anxiety falls,
depression falls for those moderate or high at the start, wellbeing rises slightly.
Historical alerts (totals in the highest band) are acknowledged by the alerts app's demo."""

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from stdnum.gb import nhs

from babysteps.accounts.models import User
from babysteps.cohorts.models import Cohort, Enrolment
from babysteps.cohorts.services import cohort_create, cohort_facilitator_add
from babysteps.demo.demo import _add_families
from babysteps.demo.registry import DemoContext, mother_of, seeder
from babysteps.families.models import Family, Parent
from babysteps.measures.catalogue import seed_instruments
from babysteps.measures.models import Administration, Instrument, InstrumentRevision
from babysteps.measures.scoring import positions_for_scores
from babysteps.measures.services import administration_submit

SPRING_2019 = "Blackpool Spring 2019 (group)"
SUMMER_2020 = "Blackpool Summer 2020 (remote)"
EXTRA_2019 = [
    ("Leah Whiteside", "Adam Whiteside", "partner", "FY1 6AA", "English", ""),
    ("Katie Openshaw", "Dean Openshaw", "partner", "FY2 0BB", "English", ""),
    ("Rachel Bamber", "Lee Bamber", "partner", "FY3 7CC", "English", ""),
    ("Danielle Cross", "Sue Cross", "supporter", "FY4 1DD", "English", ""),
    ("Stacey Nuttall", "Paul Nuttall", "partner", "FY1 2EE", "English", ""),
    ("Nadia Hussain", "Imran Hussain", "partner", "FY1 3FF", "Urdu", ""),
    ("Lauren Eccles", "Jack Eccles", "partner", "FY3 9GG", "English", ""),
    ("Holly Singleton", "Matt Singleton", "partner", "FY2 9HH", "English", ""),
    ("Amber Kay", "Ryan Kay", "partner", "FY4 2JJ", "English", "Returned to work early"),
]
EXTRA_2020 = [
    ("Bethany Hodgson", "Luke Hodgson", "partner", "FY1 4KK", "English", ""),
    ("Charlotte Rawcliffe", "Ben Rawcliffe", "partner", "FY2 0LL", "English", ""),
    ("Jasmine Ali", "Tariq Ali", "partner", "FY1 5MM", "English", ""),
    ("Kelly Ormerod", "Dan Ormerod", "partner", "FY3 8NN", "English", ""),
    ("Naomi Fletcher", "Josh Fletcher", "partner", "FY4 3PP", "English", ""),
    ("Ellie Cardwell", "Mandy Cardwell", "supporter", "FY2 9QQ", "English", ""),
    ("Roxanne Wild", "Craig Wild", "partner", "FY1 1RR", "English", ""),
    ("Paige Tomlinson", "Kieran Tomlinson", "partner", "FY3 7SS", "English", ""),
    ("Sian Pilling", "Gary Pilling", "partner", "FY4 4TT", "English", ""),
]
ITEM10_FAMILY = "grace.okafor@example.com"


def _numbers() -> Iterator[str]:
    """NHS numbers from the test range, clear of the ones the foundation demo uses."""
    n = 9996000000
    while True:
        n += 1
        if nhs.is_valid(str(n)):
            yield str(n)


def _scores_for(
    instrument: Instrument, target: int, rng: random.Random, spare: set[int]
) -> list[int]:
    """Item scores adding up to ``target``, spread at random; items in ``spare`` (safety
    items) stay at their minimum."""
    spec = instrument.spec
    low = spec.item_score_min
    scores = [low] * len(spec.items)
    room = [i for i in range(len(scores)) if i + 1 not in spare]
    top = {i: low + spec.items[i].positions - 1 for i in room}
    target = max(min(target, sum(top.values()) + low * len(spare)), sum(scores))
    while sum(scores) < target:
        i = rng.choice([i for i in room if scores[i] < top[i]])
        scores[i] += 1
    return scores


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(11, 0)))


def _record(
    *,
    family: Family,
    parent: Parent,
    instrument: Instrument,
    timepoint: str,
    total: int,
    day: date,
    by: User,
    mode: str,
    rng: random.Random,
) -> None:
    spare = {s.item for s in instrument.spec.safety_items}
    positions = positions_for_scores(instrument.spec, _scores_for(instrument, total, rng, spare))
    administration_submit(
        family=family,
        parent=parent,
        instrument=instrument,
        timepoint=timepoint,
        mode=mode,
        answers=positions,
        recorded_by=by,
        administered_on=day,
        today=day,
        now=_at(day),
    )


def _outcomes(rng: random.Random, role: str) -> dict[str, tuple[int, int]]:
    """Pre and post totals for one parent, in the published direction of effects."""
    elevated = rng.random() < (0.42 if role == "mother" else 0.28)
    epds_pre = rng.randint(10, 17) if elevated else rng.randint(2, 9)
    epds_post = epds_pre - rng.randint(3, 8) if elevated else epds_pre + rng.randint(-2, 2)
    gad_pre = rng.randint(4, 13)
    gad_post = gad_pre - rng.randint(0, 5)
    wem_pre = rng.randint(37, 55)
    wem_post = wem_pre + rng.randint(-2, 6)
    return {
        "epds": (epds_pre, max(0, min(30, epds_post))),
        "gad7": (gad_pre, max(0, gad_post)),
        "wemwbs": (wem_pre, min(70, wem_post)),
    }


def _historical_cohorts(ctx: DemoContext, rng: random.Random) -> None:
    manager = ctx.user("manager@blackpool.demo")
    blackpool = ctx.site("Blackpool")
    numbers = _numbers()
    for name, start, mode, rows in (
        (SPRING_2019, date(2019, 3, 7), Cohort.DeliveryMode.GROUP, EXTRA_2019),
        (SUMMER_2020, date(2020, 6, 4), Cohort.DeliveryMode.REMOTE, EXTRA_2020),
    ):
        if Cohort.objects.filter(name=name).exists():
            continue
        cohort = cohort_create(
            site=blackpool,
            created_by=manager,
            name=name,
            start_date=start,
            due_date_from=start + timedelta(days=63),
            due_date_to=start + timedelta(days=110),
            capacity=10,
            delivery_mode=mode,
            venue="Revoe Children's Centre",
        )
        for email in ("midwife@blackpool.demo", "familysupport@blackpool.demo"):
            cohort_facilitator_add(cohort=cohort, user=ctx.user(email), added_by=manager)
        _add_families(
            ctx=ctx,
            cohort=cohort,
            rows=rows,
            manager=manager,
            first_due=start + timedelta(days=64),
            rng=rng,
            numbers=numbers,
            born=True,
        )


@seeder(30, "measures: questionnaires and a safety alert")
def seed_questionnaires(ctx: DemoContext) -> None:
    seed_instruments(Instrument, InstrumentRevision)
    if Administration.objects.exists():
        return
    rng = random.Random(20150601)  # noqa: S311 - demo data, not security
    _historical_cohorts(ctx, rng)
    instruments = {
        i.code: i for i in Instrument.objects.filter(code__in=["epds", "gad7", "wemwbs"])
    }
    facilitator = ctx.user("midwife@blackpool.demo")
    support = ctx.user("familysupport@blackpool.demo")
    for name in (
        SPRING_2019,
        "Blackpool Autumn 2019 (group)",
        "Blackpool Spring 2020 (remote)",
        SUMMER_2020,
    ):
        cohort = ctx.cohort(name)
        remote = cohort.delivery_mode == Cohort.DeliveryMode.REMOTE
        enrolments = Enrolment.objects.filter(cohort=cohort).select_related("family")
        for enrolment in enrolments.prefetch_related("family__parents").order_by("pk"):
            family = enrolment.family
            pre_day = cohort.start_date - timedelta(days=21)
            post_day = family.estimated_due_date + timedelta(days=56)
            for parent in family.parents.all():
                outcomes = _outcomes(rng, parent.role)
                answers_post = (
                    enrolment.status != Enrolment.Status.WITHDRAWN and rng.random() > 0.08
                )
                by = facilitator if parent.role == Parent.Role.MOTHER else support
                for code, (pre, post) in outcomes.items():
                    times = [("pre", pre, pre_day, "in_person")]
                    if answers_post and post_day <= ctx.today:
                        times.append(("post", post, post_day, "phone" if remote else "in_person"))
                    for timepoint, total, day, mode in times:
                        _record(
                            family=family,
                            parent=parent,
                            instrument=instruments[code],
                            timepoint=timepoint,
                            total=total,
                            day=day,
                            by=by,
                            mode=mode,
                            rng=rng,
                        )
    _riverside(ctx, instruments, rng)
    _evaluation_domains(ctx, facilitator, support)


def _evaluation_domains(ctx: DemoContext, facilitator: User, support: User) -> None:
    """Self-esteem (RSES) and couple satisfaction (CSI-4) at pre and post for the parents
    of two cohorts who answered the EPDS at both (its own random stream, so the other
    questionnaires stay as they were)."""
    rng = random.Random(2007)  # noqa: S311 - demo data, not security
    rses, csi4 = Instrument.objects.get(code="rses"), Instrument.objects.get(code="csi4")
    for name in (SPRING_2019, SUMMER_2020):
        posts = Administration.objects.filter(
            cohort=ctx.cohort(name), instrument__code="epds", timepoint="post"
        ).select_related("family", "parent")
        for post in posts.order_by("pk"):
            pre = Administration.objects.get(
                parent=post.parent, instrument__code="epds", timepoint="pre"
            )
            by = facilitator if post.parent.role == Parent.Role.MOTHER else support
            esteem = rng.randint(12, 24)
            couple = rng.randint(10, 19)
            for instrument, before, after in (
                (rses, esteem, min(30, esteem + rng.randint(-1, 4))),
                (csi4, couple, min(21, couple + rng.randint(-2, 3))),
            ):
                for timepoint, total, administration in (
                    ("pre", before, pre),
                    ("post", after, post),
                ):
                    _record(
                        family=post.family,
                        parent=post.parent,
                        instrument=instrument,
                        timepoint=timepoint,
                        total=total,
                        day=administration.administered_on,
                        by=by,
                        mode=administration.mode,
                        rng=rng,
                    )


def _riverside(ctx: DemoContext, instruments: dict[str, Instrument], rng: random.Random) -> None:
    """Baselines for the current cohort, and one EPDS with item 10 above 0, not yet acknowledged."""
    hv = ctx.user("hv@riverside.demo")
    cohort = ctx.cohort("Riverside current cohort")
    pre_day = min(cohort.start_date - timedelta(days=10), ctx.today)
    alerted = ctx.family(ITEM10_FAMILY)
    enrolments = Enrolment.objects.filter(cohort=cohort, status__in=Enrolment.OPEN).select_related(
        "family"
    )
    for enrolment in enrolments.prefetch_related("family__parents").order_by("pk"):
        family = enrolment.family
        for parent in family.parents.all():
            if family.pk == alerted.pk and parent.role == Parent.Role.MOTHER:
                continue
            outcomes = _outcomes(rng, parent.role)
            for code, (pre, _) in outcomes.items():
                _record(
                    family=family,
                    parent=parent,
                    instrument=instruments[code],
                    timepoint="pre",
                    total=pre,
                    day=pre_day,
                    by=hv,
                    mode="in_person",
                    rng=rng,
                )
    # Today's home visit: the mother answers EPDS item 10 "hardly ever" (score 1).
    epds = instruments["epds"]
    scores = [1, 1, 2, 1, 1, 2, 1, 1, 0, 1]
    administration_submit(
        family=alerted,
        parent=mother_of(alerted),
        instrument=epds,
        timepoint="pre",
        mode="in_person",
        answers=positions_for_scores(epds.spec, scores),
        recorded_by=hv,
    )
    ctx.notes.append(
        "An open EPDS item-10 safety alert is waiting on the home pages of hv@riverside.demo "
        "and manager@riverside.demo."
    )
