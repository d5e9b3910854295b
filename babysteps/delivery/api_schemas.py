"""The shapes of delivery's API: what it accepts and what it answers."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema

ID_MAX = 2_147_483_647  # ids beyond this are unknown anyway; the database cannot take them
Id = Annotated[int, Field(ge=1, le=ID_MAX)]


class AttendanceOut(Schema):
    family: int
    present: bool
    mother: bool
    partner: bool
    baby: bool
    supporter: bool
    watched_videos_beforehand: bool | None


class ContactOut(Schema):
    id: int
    cohort: int
    component: str
    mode: str
    starts_at: datetime
    planned_minutes: int
    actual_minutes: int
    facilitators: list[int]
    key_messages: list[int]
    catch_up: bool
    booking: int | None
    planned_call: int | None
    notes: str
    attendance: list[AttendanceOut]
    corrected_by: int | None = None
    corrected_at: datetime | None = None


class ContactPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ContactOut]


class AttendanceIn_(Schema):
    mother: bool = False
    partner: bool = False
    baby: bool = False
    supporter: bool = False
    watched_videos_beforehand: bool | None = None


class ContactIn(Schema):
    family: Id
    component: str = Field(max_length=8, description="Component code, e.g. HV2 or S3")
    mode: Literal["home_visit", "phone", "video"]
    starts_at: datetime
    planned_minutes: int = Field(ge=1, le=480)
    actual_minutes: int = Field(ge=1, le=480)
    facilitators: list[Id] = Field(min_length=1, max_length=10)
    attendance: AttendanceIn_
    key_messages: list[Id] = Field(default_factory=list, max_length=50)
    notes: str = Field("", max_length=4000)
    booking: Id | None = None
    planned_call: Id | None = None
    follow_up: Id | None = None
    catch_up: bool = False


class WhoTookPartIn(Schema):
    mother: bool = False
    partner: bool = False
    baby: bool = False
    supporter: bool = False


class ContactCorrectionIn(Schema):
    """Correct a one-family contact; a field left out keeps its recorded value."""

    planned_minutes: int | None = Field(None, ge=1, le=480)
    actual_minutes: int | None = Field(None, ge=1, le=480)
    attendance: WhoTookPartIn | None = None
    key_messages: list[Id] | None = Field(None, max_length=50)
    notes: str | None = Field(None, max_length=4000)


class RegisterRowIn(AttendanceIn_):
    family: Id
    present: bool = True


class RegisterIn(Schema):
    starts_at: datetime
    planned_minutes: int = Field(ge=1, le=480)
    actual_minutes: int = Field(ge=1, le=480)
    facilitators: list[Id] = Field(min_length=1, max_length=10)
    key_messages: list[Id] = Field(default_factory=list, max_length=50)
    notes: str = Field("", max_length=4000)
    offer_catch_up: bool = True
    attendance: list[RegisterRowIn] = Field(default_factory=list, max_length=100)


class RegisterFamilyOut(Schema):
    family: int
    name: str


class RegisterOut(Schema):
    session: int
    component: str
    planned_starts_at: datetime
    delivered_as_calls: bool
    families: list[RegisterFamilyOut]
    contact: ContactOut | None


class SwitchIn(Schema):
    # No required fields: an out-of-scope cohort or site is a 404 whatever the body; what
    # is missing is then a 422 from the service.
    action: Literal["pause", "resume"] | None = None
    from_date: date | None = None
    mode: Literal["phone", "video"] | None = None
    prework: bool = True
    reason: str = Field("", max_length=200)


class SwitchOut(Schema):
    id: int
    site: int
    cohort: int | None
    action: str
    from_date: date
    remote_mode: str
    prework: bool
    reason: str
    created_by: str
    created_at: datetime
    sessions_changed: int
    calls_created: int
    calls_withdrawn: int
    bookings_cancelled: int


class DeliveryStateOut(Schema):
    paused: bool
    mode: str
    history: list[SwitchOut]
