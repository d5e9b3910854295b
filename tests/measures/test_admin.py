import pytest
import yaml
from django.test import Client

from babysteps.measures.catalogue import shipped_definitions
from babysteps.measures.models import Instrument

pytestmark = pytest.mark.django_db


def _admin_client(cast) -> Client:
    cast.admin.is_staff = True
    cast.admin.is_superuser = True
    cast.admin.save()
    client = Client()
    client.force_login(cast.admin)
    return client


def test_an_nspcc_admin_adds_an_instrument_in_the_admin(cast):
    data = {
        "code": "maas_demo",
        "name": "Attachment to the unborn baby (example)",
        "direction": "higher_is_better",
        "licence": "CC BY 3.0 AU (Condon). Check the keying before live use.",
        "item_score_min": 1,
        "options": ["1", "2", "3", "4", "5"],
        "items": [
            {"label": "Thinking about the baby"},
            {"label": "Feelings about the baby", "keying": "reverse"},
        ],
        "total": {"min": 2, "max": 10},
        "reliable_change": {"retest_r": 0.8},
    }
    client = _admin_client(cast)
    response = client.post(
        "/admin/measures/instrument/add/", {"active": "on", "definition_text": yaml.safe_dump(data)}
    )
    assert response.status_code == 302, response.content[:2000]
    instrument = Instrument.objects.get(code="maas_demo")
    assert instrument.spec.items[1].keying == "reverse" and instrument.revisions.count() == 1
    bad = client.post("/admin/measures/instrument/add/", {"definition_text": "code: x\n"})
    assert bad.status_code == 200 and "is missing" in bad.content.decode()


def test_a_keying_correction_in_the_admin_raises_the_version(cast):
    epds = Instrument.objects.get(code="epds")
    data = next(d for d in shipped_definitions() if d["code"] == "epds")
    data["items"][0]["keying"] = "reverse"
    response = _admin_client(cast).post(
        f"/admin/measures/instrument/{epds.pk}/change/",
        {"active": "on", "definition_text": yaml.safe_dump(data)},
    )
    assert response.status_code == 302
    assert Instrument.objects.get(code="epds").version == 2
