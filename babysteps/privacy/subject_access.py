# Over 400 lines: one section for each kind of record a family has, read in one place.
"""A subject-access export: everything the platform holds about a family (or about one of
its parents), as a ZIP of JSON and a readable HTML document.

Third parties: group sessions' notes (about the group, so about other families) are
withheld, and so, when ``SUBJECT_ACCESS_REDACT_THIRD_PARTIES`` is on (the default), is
the free text the NSPCC team wrote about a referral. The export says what it withheld.
"""

import io
import json
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db.models import Count, Model
from django.template.loader import render_to_string
from django.utils import timezone

from babysteps.alerts.models import Alert
from babysteps.audit.selectors import audit_events_for_family
from babysteps.bookings.models import CallBooking, PlannedCall
from babysteps.cohorts.models import Enrolment
from babysteps.delivery.models import Attendance, FollowUpTask
from babysteps.families.models import Baby, Consent, Family, Parent
from babysteps.families.services import FAMILY_FIELDS
from babysteps.measures.models import Administration
from babysteps.notifications.models import Message
from babysteps.portal.models import ParentQuestion, PortalProfile, SignInChallenge
from babysteps.privacy.models import ErasureRequest, LegalHold
from babysteps.safeguarding.models import (
    CallAttempt,
    Escalation,
    ImmediateRiskAction,
    SafeAndWellReferral,
)
from babysteps.videos.models import VideoRelease, VideoWatch

WITHHELD = "[withheld: may contain information about other people]"
GROUP_NOTES = "[withheld: notes about a group session concern other families too]"
REFERRAL_TEAM_TEXT = ("outcome_notes", "note_for_site", "onward_reference", "withdrawal_reason")
# What the NSPCC practitioner wrote about a call attempt (third-party text, like the note).
CALL_TEAM_TEXT = ("note", "outside_safe_times_reason")


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Model):
        return str(value)
    return value


def _row(obj: Model, fields: Iterable[str], **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name in fields:
        display = getattr(obj, f"get_{name}_display", None)
        row[name] = _value(display() if callable(display) else getattr(obj, name))
    row.update({k: _value(v) for k, v in extra.items()})
    return row


def _staff(user: Any) -> str:
    return user.full_name if user is not None else ""


def build(family: Family, *, parent_role: str | None = None) -> dict[str, Any]:
    """The export's content. ``parent_role`` narrows it to one parent: their own records,
    the family's shared ones, and nothing about the other parent."""
    redact = settings.SUBJECT_ACCESS_REDACT_THIRD_PARTIES
    family = Family.objects.select_related("site").get(pk=family.pk)  # as stored now
    parents = list(Parent.objects.filter(family=family))
    chosen = [p for p in parents if parent_role is None or p.role == parent_role]
    chosen_ids = {p.pk for p in chosen}
    withheld: list[str] = []

    def mine(parent_id: int | None) -> bool:
        return parent_role is None or parent_id is None or parent_id in chosen_ids

    attendances = (
        Attendance.objects.filter(family=family)
        .select_related("contact", "contact__component", "contact__recorded_by")
        .annotate(on_register=Count("contact__attendances"))
        .order_by("contact__starts_at")
    )
    contacts = []
    for attendance in attendances:
        contact = attendance.contact
        group = attendance.on_register > 1
        if group and contact.notes:
            withheld.append("notes of group sessions")
        contacts.append(
            _row(
                contact,
                [
                    "starts_at",
                    "mode",
                    "planned_minutes",
                    "actual_minutes",
                    "catch_up",
                    "interpreter_used",
                    "interpreter_language",
                ],
                session=f"{contact.component.code}: {contact.component.title}",
                notes=GROUP_NOTES if group and contact.notes else contact.notes,
                recorded_by=_staff(contact.recorded_by),
                present=attendance.present,
                mother=attendance.mother,
                partner=attendance.partner,
                baby=attendance.baby,
                supporter=attendance.supporter,
                watched_videos_beforehand=attendance.watched_videos_beforehand,
            )
        )

    referrals = []
    for referral in SafeAndWellReferral.objects.filter(family=family).select_related(
        "referred_by", "claimed_by", "closed_by"
    ):
        row = _row(
            referral,
            [
                "referred_at",
                "urgency",
                "source",
                "source_reference",
                "summary",
                "consent_basis",
                "consent_given_by",
                "consent_given_on",
                "consent_method",
                "no_consent_reason",
                "safe_number",
                "safe_call_from",
                "safe_call_to",
                "safe_times_notes",
                "voicemail_ok",
                "language",
                "interpreter_needed",
                "status",
                "outcome",
                "onward_to",
                "onward_service",
                "onward_reference",
                "outcome_notes",
                "note_for_site",
                "closed_at",
                "withdrawn_at",
                "withdrawal_reason",
            ],
            referred_by=_staff(referral.referred_by),
            reasons=[r.label for r in referral.reasons.all()],
            call_attempts=[
                _row(
                    a,
                    ["at", "outcome", "voicemail_left"],
                    **{
                        name: WITHHELD if redact and getattr(a, name) else getattr(a, name)
                        for name in CALL_TEAM_TEXT
                    },
                )
                for a in CallAttempt.objects.filter(referral=referral).order_by("at")
            ],
            escalations=[
                _row(e, ["stage", "at"]) for e in Escalation.objects.filter(referral=referral)
            ],
        )
        if redact:
            for name in REFERRAL_TEAM_TEXT:
                if row.get(name):
                    row[name] = WITHHELD
                    withheld.append("the NSPCC team's notes on a referral")
        referrals.append(row)

    questionnaires = [
        _row(
            a,
            [
                "administered_on",
                "timepoint",
                "respondent_role",
                "mode",
                "answers",
                "item_scores",
                "raw_total",
                "total",
                "band",
                "is_case",
                "elevated",
                "safety_flag",
                "subscales",
                "voided_at",
                "void_reason",
            ],
            instrument=a.instrument.name,
            recorded_by=_staff(a.recorded_by),
        )
        for a in Administration.objects.filter(family=family)
        .select_related("instrument", "recorded_by")
        .order_by("administered_on", "pk")
        if mine(a.parent_id)
    ]
    alerts = [
        _row(
            alert,
            [
                "raised_at",
                "reason",
                "detail",
                "parent_role",
                "escalated_at",
                "acknowledged_at",
                "action_taken",
            ],
            acknowledged_by=_staff(alert.acknowledged_by),
        )
        for alert in Alert.objects.filter(family=family).select_related("acknowledged_by")
        if mine(alert.parent_id)
    ]
    messages = [
        _row(
            m,
            [
                "created_at",
                "channel",
                "to",
                "subject",
                "body",
                "status",
                "status_reason",
                "sent_at",
            ],
        )
        for m in Message.objects.filter(family=family).order_by("created_at", "pk")
        if mine(m.parent_id)
    ]
    access_log = [
        {
            "at": _value(event.at),
            "who": event.actor.full_name if event.actor else event.actor_label,
            "what": event.get_action_display(),
            "record": event.object_type,
            "reason": event.reason,
            "through": event.channel,
        }
        for event in audit_events_for_family(family_id=family.pk).order_by("at", "pk")
    ]
    baby_rows = [
        _row(
            b,
            [
                "given_name",
                "date_of_birth",
                "gestation_weeks",
                "birth_weight_grams",
                "mode_of_birth",
                "recorded_at",
            ],
        )
        for b in Baby.objects.filter(family=family)
    ]
    data: dict[str, Any] = {
        "about": {
            "generated_at": _value(timezone.now()),
            "family_id": family.pk,
            "site": family.site.name,
            "scope": f"the {parent_role}" if parent_role else "the whole family",
            "withheld": sorted(set(withheld)),
        },
        "family": _row(
            family,
            [*FAMILY_FIELDS, "weekly_tips_opt_in", "created_at", "anonymised_at"],
        ),
        "parents": [
            _row(p, ["role", "given_name", "family_name", "email", "mobile", "language"])
            for p in chosen
        ],
        "babies": baby_rows,
        "consents": [
            _row(
                c,
                ["kind", "given", "given_by", "method", "decided_on"],
                recorded_by=_staff(c.recorded_by),
            )
            for c in Consent.objects.filter(family=family).select_related("recorded_by")
        ],
        "cohort_places": [
            _row(
                e,
                ["status", "status_changed_on", "withdrawal_reason", "created_at"],
                cohort=e.cohort.name,
            )
            for e in Enrolment.objects.filter(family=family).select_related("cohort")
        ],
        "contacts": contacts,
        "follow_up_calls": [
            _row(
                t,
                ["reason", "due_on", "status", "closed_reason", "closed_at"],
                session=t.component.code,
            )
            for t in FollowUpTask.objects.filter(family=family).select_related("component")
        ],
        "planned_calls": [
            _row(
                c,
                ["due_at", "mode", "prework", "reason", "status", "status_reason"],
                session=c.component.code,
            )
            for c in PlannedCall.objects.filter(family=family).select_related("component")
        ],
        "call_bookings": [
            _row(
                b,
                [
                    "starts_at",
                    "ends_at",
                    "mode",
                    "status",
                    "status_reason",
                    "interpreter_needed",
                    "interpreter_language",
                    "interpreter_booked",
                ],
                session=b.component.code,
                with_=_staff(b.facilitator),
            )
            for b in CallBooking.objects.filter(family=family).select_related(
                "component", "facilitator"
            )
        ],
        "questionnaires": questionnaires,
        "alerts": alerts,
        "safe_and_well_referrals": referrals,
        "immediate_risk_actions": [
            _row(a, ["occurred_at", "called_999", "followed_local_procedures", "reference", "note"])
            for a in ImmediateRiskAction.objects.filter(family=family)
        ],
        "messages": messages,
        "portal": {
            "profiles": [
                _row(p, ["captions_on", "last_signed_in_at"], parent=p.parent.role)
                for p in PortalProfile.objects.filter(parent__in=chosen).select_related("parent")
            ],
            "questions": [
                _row(q, ["created_at", "text", "call_me_soon", "discussed_at"])
                for q in ParentQuestion.objects.filter(family=family)
                if mine(q.parent_id)
            ],
            "sign_ins": [
                _row(s, ["created_at", "expires_at", "used_at", "attempts"])
                for s in SignInChallenge.objects.filter(parent__in=chosen)
            ],
            "video_releases": [
                _row(r, ["touchpoint_at", "released_at", "reminded_at"], session=r.component.code)
                for r in VideoRelease.objects.filter(family=family).select_related("component")
            ],
            "video_watches": [
                _row(
                    w,
                    ["seconds_watched", "completed_at", "first_played_at", "last_played_at"],
                    video=w.video.title,
                )
                for w in VideoWatch.objects.filter(family=family).select_related("video")
                if mine(w.parent_id)
            ],
        },
        "data_protection": {
            "legal_holds": [
                _row(h, ["reason", "placed_at", "released_at"])
                for h in LegalHold.objects.filter(family=family)
            ],
            "erasure_requests": [
                _row(r, ["reason", "status", "requested_at", "decided_at"])
                for r in ErasureRequest.objects.filter(family=family)
            ],
        },
        "access_log": access_log,
    }
    return data


SECTION_TITLES = {
    "family": "The family's record",
    "parents": "Parents",
    "babies": "Babies",
    "consents": "Consents",
    "cohort_places": "Places in a Baby Steps group",
    "contacts": "Sessions, home visits and calls",
    "follow_up_calls": "Follow-up calls",
    "planned_calls": "Calls planned",
    "call_bookings": "Calls booked",
    "questionnaires": "Questionnaires (answers and scores)",
    "alerts": "Safety alerts",
    "safe_and_well_referrals": "NSPCC safe-and-well referrals",
    "immediate_risk_actions": "Urgent safety actions",
    "messages": "Messages sent",
    "portal": "The parents' website",
    "data_protection": "Data protection",
    "access_log": "Who has looked at or changed the record",
}


def _tables(value: Any) -> list[dict[str, Any]]:
    """Rows for the HTML: a list of dicts, one dict, or named sub-sections."""
    if isinstance(value, list):
        return value
    return [value]


def render_html(data: dict[str, Any]) -> str:
    sections = []
    for key, title in SECTION_TITLES.items():
        value = data[key]
        if isinstance(value, dict) and all(isinstance(v, list) for v in value.values()):
            parts = [(name.replace("_", " ").capitalize(), rows) for name, rows in value.items()]
        else:
            parts = [("", _tables(value))]
        sections.append({"title": title, "parts": parts})
    return render_to_string(
        "privacy/subject_access.html", {"about": data["about"], "sections": sections}
    )


def as_zip(data: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "subject-access.json", json.dumps(data, indent=2, ensure_ascii=False, default=str)
        )
        archive.writestr("subject-access.html", render_html(data))
        archive.writestr(
            "README.txt",
            "Everything the Baby Steps platform holds about the person or family named in\n"
            "subject-access.html (readable) and subject-access.json (the same, as data).\n"
            "Withheld items are marked where they would be, with the reason.\n",
        )
    return buffer.getvalue()
