"""The evaluation page and its exports: who sees what, consent, suppression, pseudonyms."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from babysteps.audit.models import Action, AuditEvent
from babysteps.cohorts.models import Cohort
from babysteps.evaluation import selectors, views
from babysteps.evaluation.pseudonyms import pseudonym
from tests.evaluation.helpers import attended, completers, consent

pytestmark = pytest.mark.django_db
PAIRS = [(14, 8), (12, 9), (9, 9), (16, 10), (11, 12), (8, 5)]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _figures(client: Client, **params) -> list[dict]:
    response = client.get(reverse("evaluation:figures_csv"), params)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def _epds(rows):
    return next(r for r in rows if r["instrument"] == "epds" and r["group"] == "All")


def test_who_may_open_the_evaluation(cast):
    for user in (cast.evaluator, cast.admin, cast.manager_a):
        assert _client(user).get(reverse("evaluation:page")).status_code == 200
    for user in (cast.midwife_a, cast.safe_and_well, cast.no_role):
        assert _client(user).get(reverse("evaluation:page")).status_code == 403


def test_only_families_consenting_to_the_evaluation_count(cast):
    completers(cast, cast.cohort_a, PAIRS)
    refused = completers(cast, cast.cohort_a, [(20, 2)] * 3, given=False)
    changed_mind = completers(cast, cast.cohort_a, [(25, 1)])[0]
    consent(changed_mind, False, cast.admin)  # a later "no" stands
    withdrawn_then_given = refused[0]
    consent(withdrawn_then_given, True, cast.admin)
    rows = _epds(_figures(_client(cast.evaluator)))
    assert rows["n_pairs"] == str(len(PAIRS) + 1)


def test_figures_from_fewer_than_five_completers_are_suppressed_everywhere(cast):
    completers(cast, cast.cohort_a, PAIRS[:4])
    evaluator = _client(cast.evaluator)
    row = _epds(_figures(evaluator))
    assert row["suppressed"] == "True" and row["n_pairs"] == "" and row["pre_mean"] == ""
    page = evaluator.get(reverse("evaluation:page")).content.decode()
    assert "suppressed" in page and "11.25" not in page
    book = load_workbook(io.BytesIO(evaluator.get(reverse("evaluation:figures_xlsx")).content))
    sheet = book["Figures"]
    header = [c.value for c in sheet[1]]
    epds = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "epds")
    assert epds[header.index("suppressed")] is True and epds[header.index("n_pairs")] is None
    completers(cast, cast.cohort_a, PAIRS[4:])
    row = _epds(_figures(evaluator))
    assert row["suppressed"] == "False" and row["n_pairs"] == "6"
    assert float(row["mean_change"]) == pytest.approx(sum(b - a for a, b in PAIRS) / 6)


def test_site_managers_see_only_their_site(cast):
    completers(cast, cast.cohort_a, PAIRS)
    completers(cast, cast.cohort_b, PAIRS)
    assert _epds(_figures(_client(cast.manager_a)))["n_pairs"] == "6"
    # Another site's figures are refused with the reason, not swapped for their own.
    refused = _client(cast.manager_b).get(
        reverse("evaluation:figures_csv"), {"site": cast.site_a.pk}
    )
    assert refused.status_code == 400
    assert "nothing was exported" in refused.content.decode()
    assert not AuditEvent.objects.filter(actor=cast.manager_b, action=Action.EXPORT).exists()
    assert _epds(_figures(_client(cast.evaluator)))["n_pairs"] == "12"
    assert _epds(_figures(_client(cast.evaluator), site=cast.site_b.pk))["n_pairs"] == "6"


def test_filters_and_subgroups(cast):
    Cohort.objects.filter(pk=cast.cohort_b.pk).update(delivery_mode="remote")
    in_person = completers(cast, cast.cohort_a, PAIRS)
    by_phone = completers(cast, cast.cohort_b, [(p + 1, q) for p, q in PAIRS], partner=True)
    attended(cast.cohort_a, in_person, ["group"] * 6, by=cast.admin)
    attended(cast.cohort_b, by_phone, ["phone"] * 6, by=cast.admin, partner=True)
    evaluator = _client(cast.evaluator)
    assert _epds(_figures(evaluator, delivery_mode="remote"))["n_pairs"] == "6"
    assert _epds(_figures(evaluator, parent_role="partner"))["n_pairs"] == "6"
    assert _epds(_figures(evaluator, planned_mode="remote"))["n_pairs"] == "6"
    assert (
        _epds(_figures(evaluator, baseline_band="elevated"))["n_pairs"] == "9"
    )  # pre >= 10: 4 + 5
    rows = _figures(evaluator, group_by="planned_mode")
    groups = {r["group"]: r for r in rows if r["instrument"] == "epds"}
    assert groups["Remote"]["n_pairs"] == "6" and groups["Face-to-face (group)"]["n_pairs"] == "6"
    page = evaluator.get(reverse("evaluation:page"), {"mode_a": "face_to_face", "mode_b": "remote"})
    text = page.content.decode()
    assert "Welch" in text and "<svg" in text and "Difference in mean change" in text


def test_the_mode_comparison_uses_what_each_family_really_attended(cast):
    """A cohort labelled face-to-face whose families had every session by phone, and one
    labelled remote whose families came to group sessions: each participant's delivered
    mode is what they attended, and the comparison and subgroups follow it."""
    Cohort.objects.filter(pk=cast.cohort_a.pk).update(delivery_mode="group")
    Cohort.objects.filter(pk=cast.cohort_b.pk).update(delivery_mode="remote")
    phoned = completers(cast, cast.cohort_a, PAIRS)  # labelled face-to-face
    came = completers(cast, cast.cohort_b, [(p, q - 2) for p, q in PAIRS])  # labelled remote
    attended(cast.cohort_a, phoned, ["phone"] * 6, by=cast.admin)  # every session by phone
    attended(cast.cohort_b, came, ["group"] * 6, by=cast.admin)  # every session in the group
    mixed = completers(cast, cast.cohort_a, [(12, 8)])
    attended(cast.cohort_a, mixed, ["phone", "group", "group"], by=cast.admin)  # 33%: blended
    evaluator = _client(cast.evaluator)

    rows = list(
        csv.DictReader(
            io.StringIO(evaluator.get(reverse("evaluation:participants_csv")).getvalue().decode())
        )
    )
    family_of = {pseudonym("family", f.pk): f for f in phoned + came + mixed}
    for row in rows:
        family = family_of[row["family"]]
        expected = "remote" if family in phoned else "face_to_face" if family in came else "blended"
        assert row["delivered_mode"] == expected, (row, family)
        assert row["planned_mode"] == ("group" if family in phoned + mixed else "remote")
        assert int(row["components_received"]) == (3 if family in mixed else 6)
    assert {r["remote_share"] for r in rows} == {"1.0", "0.0", "0.333"}

    groups = {
        r["group"]: r
        for r in _figures(evaluator, group_by="delivered_mode")
        if r["instrument"] == "epds"
    }
    assert groups["Remote"]["n_pairs"] == "6" and groups["Face-to-face"]["n_pairs"] == "6"
    assert float(groups["Remote"]["mean_change"]) == pytest.approx(sum(b - a for a, b in PAIRS) / 6)
    assert float(groups["Face-to-face"]["mean_change"]) == pytest.approx(
        sum(b - 2 - a for a, b in PAIRS) / 6
    )
    report = selectors.report(
        data=selectors.dataset(filters=selectors.Filters(), site_ids=None),
        filters=selectors.Filters(),
        mode_a="face_to_face",
        mode_b="remote",
    )
    comparison = next(i for i in report.instruments if i.instrument.code == "epds").comparison
    assert (comparison["n_a"], comparison["n_b"]) == (6, 6)  # by delivered mode, not label
    assert comparison["difference"] == pytest.approx(-2)
    further = next(i for i in report.instruments if i.instrument.code == "epds").further
    assert further["adjusted"]["estimate"] == pytest.approx(-2)  # same baselines
    assert (further["adjusted"]["n_a"], further["adjusted"]["n_b"]) == (6, 6)
    page = evaluator.get(reverse("evaluation:page"))
    assert b"Adjusted for the baseline score" in page.content
    assert b"attrition" in page.content
    assert b"Sensitivity: a mixed model" not in page.content  # only when asked for
    page = evaluator.get(reverse("evaluation:page"), {"mixed_model": "on"})
    assert b"Sensitivity: a mixed model with a random intercept per cohort" in page.content


def test_the_participant_file_is_pseudonymised_and_stable(cast):
    families = completers(cast, cast.cohort_a, PAIRS)
    evaluator = _client(cast.evaluator)
    first = evaluator.get(reverse("evaluation:participants_csv")).getvalue().decode()
    second = evaluator.get(reverse("evaluation:participants_csv")).getvalue().decode()
    assert first == second
    rows = list(csv.DictReader(io.StringIO(first)))
    assert list(rows[0])[:4] == ["participant", "instrument", "timepoint", "total"]
    assert len(rows) == 2 * len(PAIRS)
    mother = families[0].mother
    assert rows[0]["participant"] == pseudonym("participant", f"{mother.pk}:{cast.cohort_a.pk}")
    for family in families:
        for secret in (
            family.mother.given_name,
            family.mother.family_name,
            family.mother.email,
            family.postcode,
        ):
            assert secret not in first
    assert str(families[0].pk) not in {r["family"] for r in rows}
    assert AuditEvent.objects.filter(
        object_type="evaluation", action="export", actor=cast.evaluator
    ).exists()
    assert _client(cast.manager_a).get(reverse("evaluation:participants_csv")).status_code == 403


def test_the_evaluation_page_names_no_family(cast):
    families = completers(cast, cast.cohort_a, PAIRS)
    page = (
        _client(cast.evaluator)
        .get(reverse("evaluation:page"), {"group_by": "cohort"})
        .content.decode()
    )
    for family in families:
        assert family.mother.family_name not in page
    assert "Cohort A" in page  # cohorts are named, people are not


def _cohort_options(page: str) -> set[str]:
    select = page.split('name="cohort"')[1].split("</select>")[0]
    return {part.split('"')[0] for part in select.split('value="')[1:]} - {""}


def test_across_many_cohorts_the_filter_lists_those_of_the_chosen_site(cast, monkeypatch):
    """NSPCC-wide the drop-down would list 10,000 cohorts: above COHORT_CHOICES_MAX it
    lists the chosen site's, and a cohort asked for by link still filters."""
    client = _client(cast.admin)
    url = reverse("evaluation:page")
    few = _cohort_options(client.get(url).content.decode())
    assert str(cast.cohort_a.pk) in few and str(cast.cohort_b.pk) in few
    monkeypatch.setattr(views, "COHORT_CHOICES_MAX", 1)
    assert _cohort_options(client.get(url).content.decode()) == set()
    site_a = _cohort_options(client.get(url, {"site": cast.site_a.pk}).content.decode())
    assert site_a == {str(c.pk) for c in Cohort.objects.filter(site=cast.site_a)}
    linked = client.get(url, {"cohort": cast.cohort_b.pk}).content.decode()
    assert _cohort_options(linked) == {str(cast.cohort_b.pk)}
    assert "Select a valid choice" not in linked
