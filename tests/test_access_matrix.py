"""The access matrix, generated from the URL configuration (pages and API alike), so a
new route cannot be forgotten: every route is requested by every staff role with ids of
objects outside that role's scope (another site, another cohort, unknown), and must
answer 404, never the object. Anonymous visitors are sent to sign in (pages) or get 401
(API). A route with a URL argument this test does not know fails the test."""

import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from babysteps.accounts.models import Role
from babysteps.campaigns.models import Campaign
from babysteps.cohorts.models import Enrolment, PlannedSession
from babysteps.cohorts.services import cohort_schedule_generate
from babysteps.portal.services import question_ask
from babysteps.privacy.models import ErasureRequest, LegalHold
from babysteps.programme.models import Component
from babysteps.safeguarding.models import SafeAndWellReferral
from babysteps.training.services import event_create, standard_course
from tests.delivery.objects import delivery_objects
from tests.factories import make_staff
from tests.measures.helpers import epds_positions, record
from tests.safeguarding.factories import make_referral
from tests.videos.fixtures import make_video

pytestmark = pytest.mark.django_db

# Routes anyone may open: signing in, resetting a forgotten password (its link carries a
# one-time token, not an object of anyone's), and the API's self-description.
PUBLIC = {
    # The public licence enquiry (issue 16): anyone may enquire.
    "enquire/",
    "enquire/sent/",
    "enquire/confirm/",
    # Campaign petitions' public pages (issue 16): anyone may sign.
    "campaigns/<slug:slug>/",
    "campaigns/<slug:slug>/thank-you/",
    "campaigns/<slug:slug>/confirm/",
    "campaigns/<slug:slug>/withdraw/",
    "accounts/sign-in/",
    "accounts/password/reset/",
    "accounts/password/reset/sent/",
    "accounts/password/reset/<uidb64>/<token>/",
    "accounts/password/reset/done/",
    "api/v1/openapi.json",
    "api/v1/docs",
    "api/v1/",
    "portal/",
    "portal/sign-in/link/",  # a parent's one-time link: the token in it is what counts
    # A new member of staff's invitation link and the page it leads to: the one-use token
    # is what counts (tests/staff).
    "staff/invitation/",
    "staff/invitation/set-password/",
    "accounts/passkeys/jsi18n/",  # the passkey script's translations
}
# The passkey ceremonies (django-otp-webauthn's JSON endpoints) answer a signed-out visitor
# with their own 403, never a page.
PASSKEY_CEREMONIES = {
    "accounts/passkeys/authentication/begin/",
    "accounts/passkeys/authentication/complete/",
    "accounts/passkeys/registration/begin/",
    "accounts/passkeys/registration/complete/",
}
# Routes with no object in them that any signed-in user may call.
SKIP_SCOPE = {"accounts/sign-out/"}
# The parent portal: parents are not staff users, so a staff account is nobody there. Its
# pages send a signed-out visitor to the portal's own sign-in, and its object routes are
# 404 for everyone but the right parent (tests/portal/test_access.py walks them as parents).
PARENT_PREFIX = "portal/"
KWARG = re.compile(r"<(?:\w+:)?(\w+)>")
UNKNOWN_ID = 987654321


@dataclass(frozen=True)
class Route:
    path: str
    kwargs: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.path.startswith("api/")

    def url(self, values: dict[str, int]) -> str:
        return "/" + KWARG.sub(lambda m: str(values[m.group(1)]), self.path)


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def all_routes() -> list[Route]:
    routes = {
        path: Route(path, tuple(KWARG.findall(path)))
        for path in _walk(get_resolver().url_patterns)
        if not path.startswith("admin/") and not path.startswith(settings.STATIC_URL.lstrip("/"))
    }
    return sorted(routes.values(), key=lambda r: r.path)


ROUTES = all_routes()
OBJECT_ROUTES = [r for r in ROUTES if r.kwargs and r.path not in PUBLIC]


def test_the_matrix_sees_the_routes_it_should():
    paths = {r.path for r in ROUTES}
    assert "families/<int:family_id>/" in paths
    assert "api/v1/families/<family_id>" in paths
    assert len(OBJECT_ROUTES) >= 10


# The ids each kind of object supplies, made only for a route that needs them (making
# every kind for every route is most of this file's time). "Unknown" ids exist for all.
DELIVERY_KEYS = ("availability_id", "booking_id", "contact_id", "task_id", "site_id")
GROUPS = {
    "videos": ("video_id", "version_id"),
    "questions": ("question_id",),
    "alerts": ("referral_id", "administration_id", "alert_id"),
    "delivery": DELIVERY_KEYS,
    "privacy": ("hold_id", "request_id"),
    "campaigns": ("slug",),
    "licences": ("licence_id",),
    "training": ("event_id",),
}
PLAIN_KEYS = (
    "family_id",
    "enrolment_id",
    "cohort_id",
    "session_id",
    "user_id",
    "token",
    "instrument_code",
)


def _make_videos(cast, sets, names, families) -> None:
    # Library entries are site-level: site A's local video for both site A sets (every
    # site A member of staff may open it; see SITE_LEVEL_SCOPES).
    component = Component.objects.get(code="S1")
    video_a = make_video(user=cast.manager_a, component=component, site=cast.site_a)
    video_b = make_video(user=cast.manager_b, component=component, site=cast.site_b)
    for name, video in zip(names, (video_a, video_a, video_b), strict=True):
        sets[name].update(video_id=video.pk, version_id=video.current_version_id)


def _make_questions(cast, sets, names, families) -> None:
    for name, family in zip(names, families, strict=True):
        mother = family.parents.get(role="mother")
        sets[name]["question_id"] = question_ask(parent=mother, text="A question").pk


def _make_alerts(cast, sets, names, families) -> None:
    # Referrals held by another NSPCC practitioner: outside the cast's practitioner's
    # queue, so they too must get 404 (tests/safeguarding covers the queue itself).
    holder = make_staff(role=Role.NSPCC_SAFE_AND_WELL, full_name="Another practitioner")
    for name, family, by in zip(
        names, families, (cast.midwife_a, cast.facilitator_a2, cast.facilitator_b), strict=True
    ):
        # A questionnaire with a safety alert (issue 3: measures, alerts); the referral
        # is made from the alert, so the alert pages carry a linked referral too.
        result = record(family, None, mode="portal", answers=epds_positions(item_10=1))
        alert = result.alerts[0]
        sets[name].update(
            administration_id=result.administration.pk,
            alert_id=alert.pk,
            referral_id=make_referral(family, by=by, claimed_by=holder, alert=alert).pk,
        )


def _make_delivery(cast, sets, names, families) -> None:
    extra = delivery_objects(cast)  # issue 4: contacts, bookings, tasks, availability
    for name, ids in extra.items():
        assert set(ids) == set(DELIVERY_KEYS), "update DELIVERY_KEYS"
        sets[name].update(ids)


def _make_privacy(cast, sets, names, families) -> None:
    # Issue 15: a legal hold and an erasure request on each set's family.
    for name, family, manager in zip(
        names, families, (cast.manager_a, cast.manager_a, cast.manager_b), strict=True
    ):
        sets[name]["hold_id"] = LegalHold.objects.create(
            family=family, reason="a complaint", placed_by=cast.admin, placed_at=timezone.now()
        ).pk
        sets[name]["request_id"] = ErasureRequest.objects.create(
            family=family, reason="asked", requested_by=manager, requested_at=timezone.now()
        ).pk


def _make_licences(cast, sets, names, families) -> None:
    # Licences are national business: NSPCC admins alone reach them.
    for name, site in zip(names, (cast.site_a, cast.site_a, cast.site_b), strict=True):
        sets[name]["licence_id"] = site.licence_id


def _make_campaigns(cast, sets, names, families) -> None:
    # Campaigns are national: NSPCC admins manage every one; nobody else reaches any.
    campaign = Campaign.objects.create(
        slug="a-campaign",
        title="A campaign",
        text="Text",
        target=10,
        opens_on=timezone.localdate(),
        created_by=cast.admin,
    )
    for name in names:
        sets[name]["slug"] = campaign.slug


def _make_training(cast, sets, names, families) -> None:
    # Training events are the NSPCC's: its admins alone record attendance.
    event = event_create(
        course=standard_course(),
        number=1,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        place="Leeds",
        trainer="NSPCC",
        created_by=cast.admin,
    )
    for name in names:
        sets[name]["event_id"] = event.pk


BUILDERS = {
    "videos": _make_videos,
    "questions": _make_questions,
    "alerts": _make_alerts,
    "delivery": _make_delivery,
    "privacy": _make_privacy,
    "licences": _make_licences,
    "training": _make_training,
    "campaigns": _make_campaigns,
}


def _object_sets(cast, needed=None) -> dict[str, dict[str, int]]:
    """Ids for every URL argument, grouped by whose they are. ``needed``: the URL
    arguments of the route (None: every kind of object)."""
    wanted = {group for group, keys in GROUPS.items() if needed is None or set(keys) & set(needed)}
    names = ("cohort_a", "cohort_a2", "site_b")
    families = (cast.family_a, cast.family_a2, cast.family_b)
    cohorts = (cast.cohort_a, cast.cohort_a2, cast.cohort_b)
    for cohort in cohorts:
        cohort_schedule_generate(cohort=cohort)

    def session(cohort) -> int:
        return PlannedSession.objects.filter(cohort=cohort).first().pk

    sets = {
        name: {
            "family_id": family.pk,
            "enrolment_id": Enrolment.objects.get(family=family).pk,
            "cohort_id": cohort.pk,
            "session_id": session(cohort),
            "user_id": user.pk,
            "token": f"not-a-real-sign-in-token-{name}",
            "instrument_code": code,
        }
        for name, family, cohort, user, code in zip(
            names,
            families,
            cohorts,
            (cast.support_a, cast.facilitator_a2, cast.facilitator_b),
            ("phq9", "gad7", "epds"),
            strict=True,
        )
    }
    for group in GROUPS:
        if group in wanted:
            BUILDERS[group](cast, sets, names, families)
    every = [*PLAIN_KEYS, *(key for keys in GROUPS.values() for key in keys)]
    sets["unknown"] = {
        **dict.fromkeys(every, UNKNOWN_ID),
        "token": "unknown-token",
        "instrument_code": "unknown",
        "slug": "no-such-campaign",
    }
    return sets


# For each viewer: the object set they may reach (None: none), and those they may not.
SCOPES = {
    "admin": ("cohort_a", ["unknown"]),
    "manager_a": ("cohort_a", ["site_b", "unknown"]),
    "manager_b": ("site_b", ["cohort_a", "cohort_a2", "unknown"]),
    "midwife_a": ("cohort_a", ["cohort_a2", "site_b", "unknown"]),
    "support_a": ("cohort_a", ["cohort_a2", "site_b", "unknown"]),
    "facilitator_a2": ("cohort_a2", ["cohort_a", "site_b", "unknown"]),
    "facilitator_b": ("site_b", ["cohort_a", "cohort_a2", "unknown"]),
    "evaluator": (None, ["cohort_a", "site_b", "unknown"]),
    "safe_and_well": (None, ["cohort_a", "site_b", "unknown"]),
    "no_role": (None, ["cohort_a", "site_b", "unknown"]),
}
# Library entries belong to a site (or to every site), not to a cohort: all of a site's
# staff reach its entries, and only another site's are out of scope.
SITE_LEVEL_PREFIXES = ("videos/",)
SITE_LEVEL_SCOPES = {
    **SCOPES,
    "midwife_a": ("cohort_a", ["site_b", "unknown"]),
    "support_a": ("cohort_a", ["site_b", "unknown"]),
    "facilitator_a2": ("cohort_a2", ["site_b", "unknown"]),
}
METHODS = ("get", "post", "patch", "delete")


def _request(client: Client, method: str, url: str):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data="{}", content_type="application/json")


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.path)
def test_no_role_reaches_an_object_outside_its_scope(route, cast):
    sets = _object_sets(cast, route.kwargs)
    known = set(sets["unknown"])
    assert set(route.kwargs) <= known, (
        f"{route.path} has URL arguments {set(route.kwargs) - known} the access matrix does "
        "not know: add them to _object_sets so the route is checked."
    )
    scopes = SITE_LEVEL_SCOPES if route.path.startswith(SITE_LEVEL_PREFIXES) else SCOPES
    failures = []
    for name, user in cast.staff().items():
        own, others = scopes[name]
        client = Client()
        client.force_login(user)
        combos = [sets[o] for o in others]
        if own and len(route.kwargs) > 1:
            # The first id in scope, a later one outside it (e.g. another site's enrolment
            # under one's own family): still 404.
            for other in others:
                combos.append({**sets[other], route.kwargs[0]: sets[own][route.kwargs[0]]})
        for values in combos:
            for method in METHODS:
                response = _request(client, method, route.url(values))
                if response.status_code == 404:
                    continue
                if response.status_code in (403, 405) and own is not None:
                    # Refused before any lookup (a method the route never accepts, or an
                    # action the role may never take): fine if in-scope ids get the same.
                    in_scope = _request(client, method, route.url(sets[own]))
                    if in_scope.status_code == response.status_code:
                        continue
                if response.status_code == 405 and own is None:
                    continue
                failures.append(
                    f"{name} {method.upper()} {route.url(values)} -> {response.status_code}"
                )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", [r for r in ROUTES if r.path not in PUBLIC], ids=lambda r: r.path)
def test_anonymous_visitors_are_sent_to_sign_in(route, client, cast):
    values = _object_sets(cast, route.kwargs)["cohort_a"] if route.kwargs else {}
    response = client.get(route.url(values))
    if route.path.startswith(PARENT_PREFIX):
        if route.kwargs:
            assert response.status_code == 404, route.path
        else:
            assert response.status_code in (200, 302, 405), route.path
            if response.status_code == 302:
                assert response["Location"].startswith("/portal/"), route.path
    elif route.is_api:
        assert response.status_code == 401, route.path
    elif route.path in SKIP_SCOPE:
        assert response.status_code in (302, 405)
    elif route.path in PASSKEY_CEREMONIES:
        assert response.status_code in (403, 405), route.path
    else:
        assert response.status_code == 302, route.path
        assert response["Location"].startswith("/accounts/sign-in/"), route.path


# Who reaches a route to show that the right people get in: a manager of site A, except
# for the NSPCC team's own actions on a referral (the practitioner holding it logs calls and
# closes it; the team lead assigns it, and claims a waiting one).
HOLDER_ACTIONS = (
    "safeguarding/referrals/<int:referral_id>/calls/",
    "safeguarding/referrals/<int:referral_id>/close/",
)
# Legal holds are placed and released by NSPCC admins alone.
ADMIN_ONLY_PRIVACY = (
    "privacy/holds/",
    "privacy/families/<int:family_id>/holds/",
    "campaigns/<slug:slug>/manage/",
    "campaigns/<slug:slug>/signatures.csv",
    "licensing/",
    "training/events/",
)
LEAD_ACTIONS = (
    "safeguarding/referrals/<int:referral_id>/assign/",
    "safeguarding/referrals/<int:referral_id>/claim/",
)


def _reacher(route: Route, cast, sets) -> tuple:
    """The user who may act on the route's object, and the ids to use."""
    values = dict(sets["cohort_a"])
    if route.path.startswith(("accounts/staff/", *ADMIN_ONLY_PRIVACY)):
        return cast.admin, values  # NSPCC admins reset another person's second factor
    if route.path in HOLDER_ACTIONS:
        return SafeAndWellReferral.objects.get(pk=values["referral_id"]).claimed_by, values
    if route.path in LEAD_ACTIONS:
        lead = make_staff(role=Role.NSPCC_SAFE_AND_WELL_LEAD, full_name="Team lead")
        if route.path.endswith("claim/"):
            waiting = make_referral(cast.family_a_unplaced, by=cast.manager_a)
            values["referral_id"] = waiting.pk
        return lead, values
    return cast.manager_a, values


def _post_reaches(client: Client, route: Route, url: str):
    """A route that only takes POST (or PATCH) is reached by sending it something. A page
    answers an empty form with the form again (200) or a redirect with a message (302),
    once it has looked the object up. An API operation's schemas accept an empty body, so
    a 422 can only come from the service, after the lookup: every error is then the
    service's own (``value_error``), never the framework's (a missing field)."""
    if not route.is_api:
        return client.post(url, {})
    response = client.post(url, data="{}", content_type="application/json")
    if response.status_code == 405:
        response = client.patch(url, data="{}", content_type="application/json")
    if response.status_code == 422:
        kinds = {item["type"] for item in response.json()["detail"]}
        assert kinds == {"value_error"}, (
            f"{route.path}: the empty body failed the schema ({kinds}); the route must "
            "accept it and leave the checks to the service, as the others do"
        )
    return response


@pytest.mark.parametrize(
    "route",
    [r for r in OBJECT_ROUTES if not r.path.startswith(PARENT_PREFIX)],
    ids=lambda r: r.path,
)
def test_in_scope_objects_are_reachable(route, cast):
    """The other half of the matrix: the right people do get in (no blanket 404s). A route
    that only takes POST is reached with a POST, so this half can fail for it too."""
    sets = _object_sets(cast, route.kwargs)
    user, values = _reacher(route, cast, sets)
    client = Client()
    client.force_login(user)
    url = route.url(values)
    response = client.get(url)
    if response.status_code == 405:
        response = _post_reaches(client, route, url)
    assert response.status_code in (200, 201, 204, 302, 422), (route.path, response.status_code)
    if response.status_code == 302:
        assert not response["Location"].startswith("/accounts/sign-in/"), route.path
