"""Subject access: every free-text and name field of a family's records is in its export;
nothing of another family's is."""

import io
import zipfile

import pytest

from babysteps.privacy.services import subject_access_export
from babysteps.privacy.subject_access import CALL_TEAM_TEXT, REFERRAL_TEAM_TEXT
from tests.privacy.markers import demo_family_with_everything, plant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("curriculum", "instruments")]


def _text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(archive.read(name).decode() for name in archive.namelist()).lower()


@pytest.mark.parametrize("redact", [False, True])
def test_every_marker_of_the_family_is_in_its_export_and_none_of_another(settings, redact):
    settings.SUBJECT_ACCESS_REDACT_THIRD_PARTIES = redact
    family, other = demo_family_with_everything()
    mine, theirs = plant(family, "a"), plant(other, "b")
    assert len(mine.markers) > 40, mine.markers  # a record of every kind was reached

    text = _text(subject_access_export(family=family, actor=None, actor_label="test"))

    # Redaction withholds what the NSPCC team wrote about a referral (third parties).
    team = {f"safeguarding.SafeAndWellReferral.{name}" for name in REFERRAL_TEAM_TEXT}
    calls = {f"safeguarding.CallAttempt.{name}" for name in CALL_TEAM_TEXT}
    withheld = team | calls if redact else set()
    missing = {m: where for m, where in mine.markers.items() if m not in text}
    assert missing == {m: w for m, w in mine.markers.items() if w in withheld}
    leaked = {m: where for m, where in theirs.markers.items() if m in text}
    assert not leaked
