"""The parent portal and messages to parents in Welsh, Polish and Urdu."""

import re
from datetime import time
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from babysteps.families.models import Family, Parent
from babysteps.measures.models import Instrument
from babysteps.notifications.models import Message
from babysteps.portal.identity import SESSION_PARENT_LANGUAGE, portal_sign_in
from babysteps.programme.models import Component
from babysteps.videos.models import Video, VideoVersion
from tests.bookings.helpers import book, future_day, local, publish
from tests.videos.fixtures import parent_client

pytestmark = pytest.mark.django_db
LOCALE = Path(settings.BASE_DIR) / "babysteps" / "locale"
LANGUAGES = ("cy", "pl", "ur")
FORMAT = re.compile(r"%\(\w+\)s|\{\w+\}")


# The sources that speak to parents: every string marked in them is parent-facing (staff
# strings, marked everywhere else, stay untranslated until a staff interface is wanted).
PARENT_FACING = (
    "babysteps/portal/booking.py",
    "babysteps/portal/challenges.py",
    "babysteps/portal/forms.py",
    "babysteps/portal/questionnaires.py",
    "babysteps/portal/services/",
    "babysteps/portal/views.py",
    "babysteps/portal/templates/portal/_slot_choices.html",
    "babysteps/portal/templates/portal/_video_list.html",
    "babysteps/portal/templates/portal/base.html",
    "babysteps/portal/templates/portal/book.html",
    "babysteps/portal/templates/portal/change_call.html",
    "babysteps/portal/templates/portal/code.html",
    "babysteps/portal/templates/portal/details.html",
    "babysteps/portal/templates/portal/home.html",
    "babysteps/portal/templates/portal/link.html",
    "babysteps/portal/templates/portal/link_expired.html",
    "babysteps/portal/templates/portal/questionnaire.html",
    "babysteps/portal/templates/portal/questionnaire_done.html",
    "babysteps/portal/templates/portal/questionnaires.html",
    "babysteps/portal/templates/portal/questions.html",
    "babysteps/portal/templates/portal/sign_in.html",
    "babysteps/portal/templates/portal/video.html",
    "babysteps/bookings/reminders.py",
    "babysteps/bookings/services/calls.py",
    "babysteps/core/moments.py",
    "babysteps/delivery/services/switch_notices.py",
    "babysteps/measures/templates/measures/_urgent_help.html",
    "babysteps/templates/includes/form.html",
    "babysteps/videos/models.py",
    "babysteps/videos/releases.py",
    "babysteps/videos/reminders.py",
)


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def parent_facing(entry: polib.POEntry) -> bool:
    return any(path.startswith(PARENT_FACING) for path, _line in entry.occurrences)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_parent_facing_string_is_translated_as_a_marked_draft(language):
    po = catalogue(language)
    assert "DRAFT FOR REVIEW BY A QUALIFIED TRANSLATOR" in po.header
    assert not po.metadata_is_fuzzy
    # Every entry says where it comes from, so the parent-facing ones can be told apart.
    assert all(e.occurrences for e in po)
    parents = [e for e in po if parent_facing(e)]
    assert len(parents) > 150
    untranslated = [e.msgid for e in parents if not e.translated()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated and not fuzzy, (untranslated, fuzzy)
    # Nothing parents read is missing from the list above: a portal template not in it
    # would have its strings left in English.
    portal = {
        str(p.relative_to(settings.BASE_DIR))
        for p in (Path(settings.BASE_DIR) / "babysteps" / "portal").rglob("*")
        if p.suffix in (".py", ".html")
    }
    staff_pages_in_portal = {
        "babysteps/portal/models.py",
        "babysteps/portal/prep_views.py",
        "babysteps/portal/templates/portal/call_prep.html",
        "babysteps/portal/templates/portal/panel_family.html",
        "babysteps/portal/templates/portal/panel_prepare.html",
        "babysteps/portal/templates/portal/panel_urgent.html",
    }
    sources = {path for e in po for path, _line in e.occurrences}
    assert {s for s in sources & portal if not s.startswith(PARENT_FACING)} <= staff_pages_in_portal
    for entry in po.translated_entries():
        forms = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for form in forms:
            # Every placeholder survives translation (a lost one would break the message).
            assert sorted(FORMAT.findall(form)) == sorted(FORMAT.findall(entry.msgid)) or (
                entry.msgid_plural
                and set(FORMAT.findall(form)) <= set(FORMAT.findall(entry.msgid_plural))
            ), (entry.msgid, form)
            assert form.count("<a ") == entry.msgid.count("<a "), entry.msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language):
    po = catalogue(language)
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {e.msgid: e.msgstr for e in mo if not e.msgid_plural}
    for entry in po.translated_entries():
        if not entry.msgid_plural:
            assert compiled.get(entry.msgid) == entry.msgstr, entry.msgid


class _Text(HTMLParser):
    """The visible text of a page (no scripts, styles or attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "option"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "option") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_left(html: str, language: str) -> list[str]:
    """The catalogue's English sentences still showing (those whose translation differs)."""
    text = visible_text(html)
    left = []
    for entry in catalogue(language).translated_entries():
        if entry.msgid_plural or entry.msgstr == entry.msgid:
            continue
        for piece in re.split(r"%\(\w+\)s|\{\w+\}|<[^>]+>|\n", entry.msgid):
            piece = " ".join(piece.split()).strip(" ,.:;")
            if len(piece.split()) >= 3 and piece in text:
                left.append(piece)
    return left


# English words no Welsh, Polish or Urdu sentence uses: any left on a page is a string
# nobody marked for translation.
ENGLISH = re.compile(r"\b(the|your|you|and|with|please|seconds|before|after|call)\b", re.I)


def unmarked_english(html: str) -> list[str]:
    """English left once the content itself (videos, curriculum, questionnaire names,
    people's names: data in English, not interface text) is taken out."""
    text = visible_text(html)
    data = [
        *Video.objects.values_list("title", flat=True),
        *Video.objects.values_list("summary", flat=True),
        *VideoVersion.objects.values_list("transcript", flat=True),
        *Component.objects.values_list("title", flat=True),
        *Instrument.objects.values_list("name", flat=True),
    ]
    for value in sorted({" ".join(v.split()) for v in data if v}, key=len, reverse=True):
        text = text.replace(value, " ")
    return [m.group(0) for m in re.finditer(r".{0,30}" + ENGLISH.pattern + r".{0,30}", text, re.I)]


def _switch(client, language: str, page: str) -> None:
    response = client.post(reverse("portal:language"), {"language": language, "next": page})
    assert response.status_code == 302 and response["Location"] == page


PAGES = (
    "portal:home",
    "portal:questions",
    "portal:details",
    "portal:questionnaires",
    "portal:book",
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_portal_page_is_in_the_chosen_language_with_its_direction(world, language):
    client = parent_client(world.mother_a)
    _switch(client, language, "/portal/")
    urls = [reverse(name) for name in PAGES] + [reverse("portal:video", args=[world.s1.pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        direction = "rtl" if language == "ur" else "ltr"
        assert f'<html lang="{language}" dir="{direction}">' in html, url
        assert response["Content-Language"] == language
        assert not english_left(html, language), (url, english_left(html, language))
        assert not unmarked_english(html), (url, unmarked_english(html))
    # The choice is the parent's own: their messages follow it.
    assert Parent.objects.get(pk=world.mother_a.pk).language == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_before_sign_in_follow_the_switcher(client, language):
    _switch(client, language, "/portal/")
    for url in (reverse("portal:home"), reverse("portal:sign_in")):
        html = client.get(url).content.decode()
        assert f'<html lang="{language}"' in html
        assert not english_left(html, language), english_left(html, language)
        assert not unmarked_english(html), unmarked_english(html)


def test_the_switcher_refuses_other_sites_and_unknown_languages(client):
    response = client.post(
        reverse("portal:language"), {"language": "cy", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/portal/"
    client.post(reverse("portal:language"), {"language": "xx", "next": "/portal/"})
    assert '<html lang="cy"' in client.get("/portal/").content.decode()


def test_staff_pages_stay_in_english(world, client_for):
    client = parent_client(world.mother_a)
    _switch(client, "cy", "/portal/")
    staff = client_for(world.cast.manager_a)
    staff.post(reverse("portal:language"), {"language": "cy", "next": "/portal/"})
    assert '<html lang="en-GB">' in staff.get(reverse("families:list")).content.decode()


def test_the_parents_language_comes_from_their_choice_then_the_family_then_english(cast):
    mother = cast.family_a.mother
    assert mother.portal_language == "en-gb"
    Family.objects.filter(pk=cast.family_a.pk).update(preferred_language="Cymraeg")
    mother = Parent.objects.select_related("family").get(pk=mother.pk)
    assert mother.portal_language == "cy"
    mother.language = "pl"
    assert mother.portal_language == "pl"
    # Signing in notes it in the session, so the portal speaks it from the first page.
    request = RequestFactory().get("/portal/")
    request.session = SessionStore()
    portal_sign_in(request, mother)
    assert request.session[SESSION_PARENT_LANGUAGE] == "pl"


def test_a_reminder_to_a_welsh_speaking_parent_is_in_welsh(cast):
    Family.objects.filter(pk=cast.family_a.pk).update(preferred_language="Welsh")
    family = Family.objects.get(pk=cast.family_a.pk)
    day = future_day(4)
    publish(cast.midwife_a, cast.site_a, day, start=time(9), end=time(10))
    booking = book(cast, at=local(day, time(9)), family=family)
    notice = Message.objects.get(key__startswith=f"booking:{booking.pk}:booked")
    assert notice.subject == "Mae eich galwad Baby Steps wedi'i threfnu"
    assert "Mae eich galwad Baby Steps am" in notice.body
    reminders = Message.objects.filter(key__startswith=f"reminder:booking:{booking.pk}:")
    assert reminders.exists()
    for reminder in reminders:
        assert reminder.subject == "Nodyn atgoffa: eich galwad Baby Steps"
        assert reminder.body.startswith("Nodyn atgoffa: mae eich galwad Baby Steps")


def test_times_offered_to_parents_read_in_their_language_without_a_leading_zero():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import translation

    from babysteps.core.moments import day_and_time as _when
    from babysteps.portal.booking import PARENT_MODES, _staff_reason

    moment = datetime(2026, 12, 4, 10, 30, tzinfo=ZoneInfo("Europe/London"))
    assert _when(moment) == "Friday 4 December at 10:30"
    with translation.override("cy"):
        assert _when(moment) == "Dydd Gwener 4 Rhagfyr am 10:30"
        assert [str(label) for _, label in PARENT_MODES] == ["Galwad ffôn", "Galwad fideo"]
        # What staff read stays in English.
        assert _staff_reason("time") == "Cancelled by the parent: The time no longer suits us"
