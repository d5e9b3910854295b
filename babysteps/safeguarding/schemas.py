"""The shapes of /api/v1/referrals: what goes in and what comes out."""

from datetime import date, datetime, time
from typing import Literal

from ninja import Field, Schema

ParentRole = Literal["mother", "partner", "supporter"]
UrgencyIn = Literal["same_day", "one_working_day", "five_working_days"]
StatusIn = Literal["open", "claimed", "closed", "withdrawn"]


class ReferralParentOut(Schema):
    role: str
    name: str = Field(description="First name only in the NSPCC check view")


class CallOut(Schema):
    at: datetime
    outcome: str
    reached: bool
    voicemail_left: bool
    against_wishes: bool
    note: str
    made_by: str


class EscalationOut(Schema):
    stage: str
    at: datetime
    notified: list[str]


class ReferralOut(Schema):
    id: int
    status: str
    overdue: bool
    urgency: str
    source: str
    source_reference: str
    site_name: str
    referred_at: datetime
    referred_by: str
    due_by: datetime
    parents: list[ReferralParentOut]
    reasons: list[str]
    summary: str
    consent_basis: str
    consent_given_on: date | None
    consent_method_label: str
    consent_given_by_label: str
    no_consent_reason: str
    safe_number: str = Field(description="Empty until an NSPCC practitioner holds it")
    safe_call_from: time | None
    safe_call_to: time | None
    safe_times_notes: str
    voicemail_ok: bool
    language: str
    interpreter_needed: bool
    claimed_by: str
    claimed_at: datetime | None
    calls: list[CallOut]
    escalations: list[EscalationOut]
    outcome: str
    outcome_label: str
    onward_to: str
    onward_service: str
    onward_reference: str
    outcome_notes: str = Field(description="The NSPCC team's own notes: empty for site staff")
    note_for_site: str = Field(description="What the NSPCC shares with the referring site")
    closed_at: datetime | None
    closed_by: str
    withdrawn_at: datetime | None
    withdrawn_by: str
    withdrawal_reason: str
    family: int | None = Field(description="Only for the referring site and NSPCC admins")
    family_name: str
    alert: int | None = Field(
        description="The safety alert it came from; only for the referring site and NSPCC admins"
    )


class ReferralItem(Schema):
    id: int
    status: str
    overdue: bool
    urgency: str
    site_name: str
    reasons: list[str]
    referred_at: datetime
    due_by: datetime
    with_consent: bool
    interpreter_needed: bool
    claimed_by: str
    call_attempts: int
    outcome: str
    outcome_label: str
    family: int | None
    family_name: str


class ReferralPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ReferralItem]


class ReasonOut(Schema):
    code: str
    label: str
    help_text: str


class ReferralIn(Schema):
    family: int
    parents: list[ParentRole] = Field(min_length=1, max_length=2)
    reasons: list[str] = Field(min_length=1, max_length=20, description="Reason codes")
    summary: str = Field(min_length=1, max_length=4000)
    urgency: UrgencyIn
    consent_basis: Literal["given", "refused", "not_sought"]
    consent_given_by: ParentRole | Literal[""] = ""
    consent_given_on: date | None = None
    consent_method: Literal["in_person", "phone", "written", ""] = ""
    no_consent_reason: str = Field("", max_length=2000)
    safe_number: str = Field(min_length=1, max_length=20)
    safe_call_from: time | None = None
    safe_call_to: time | None = None
    safe_times_notes: str = Field("", max_length=200)
    voicemail_ok: bool = False
    language: str = Field("English", min_length=1, max_length=60)
    interpreter_needed: bool = False
    source: Literal["family_page", "alert", "call", "other"] | None = Field(
        None,
        description="Where the concern came from (default: the alert when `alert` is given, "
        "else the family's page)",
    )
    source_reference: str = Field(
        "", max_length=40, description="e.g. a call's reference (not for an alert: use `alert`)"
    )
    alert: int | None = Field(
        None, ge=1, description="The safety alert of this family the referral is made from"
    )
    acknowledge_alert: bool = Field(
        False, description="Also acknowledge that alert, with this referral as the action taken"
    )


class HolderOut(Schema):
    status: str
    claimed_by: str
    claimed_at: datetime | None


class HolderIn(Schema):
    user: int | None = Field(
        None, description="Team lead only: give it to this team member. Empty: claim it."
    )


# Fields checked by the service (after the referral is found, so an unknown or
# out-of-scope referral is a 404 whatever the body) are optional here; leaving them out
# is a 422 from the service, in the same shape.
class CallIn(Schema):
    at: datetime | None = Field(None, description="When the call was made (default: now)")
    outcome: Literal["spoke", "no_answer", "engaged", "not_safe", "wrong_number"] | None = Field(
        None, description="Required"
    )
    voicemail_left: bool = False
    note: str = Field("", max_length=500)


class OutcomeOut(Schema):
    status: str
    outcome: str
    outcome_label: str
    onward_to: str
    onward_service: str
    onward_reference: str
    outcome_notes: str = Field(description="The NSPCC team's own notes: empty for site staff")
    note_for_site: str = Field(description="What the NSPCC shares with the referring site")
    closed_at: datetime | None
    closed_by: str


OutcomeChoice = Literal[
    "safe_and_well", "support_accepted", "onward_referral", "declined", "not_reached"
]


class OutcomeIn(Schema):
    outcome: OutcomeChoice | None = Field(None, description="Required")
    onward_to: Literal["childrens_social_care", "other_service", ""] = ""
    onward_service: str = Field("", max_length=200)
    onward_reference: str = Field("", max_length=60)
    outcome_notes: str = Field("", max_length=2000, description="The NSPCC's own (not shared)")
    note_for_site: str = Field(
        "", max_length=2000, description="Required: what the referring site is shown"
    )


class WithdrawalOut(Schema):
    status: str
    withdrawn_at: datetime | None
    withdrawn_by: str
    withdrawal_reason: str


class WithdrawalIn(Schema):
    reason: str = Field("", max_length=1000, description="Required")


class AuditEventOut(Schema):
    at: datetime
    actor: str
    action: str
    channel: str
    reason: str
    fields: list[str]


class AuditPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[AuditEventOut]
