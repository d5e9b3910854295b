"""Deep or malformed JSON anywhere is a 422, never a 500."""

import pytest

from babysteps.core.jsonbody import MAX_DEPTH, BadJson, loads

DEEP = "[" * 100_000 + "]" * 100_000


def test_deep_and_malformed_json_is_refused():
    with pytest.raises(BadJson):
        loads(DEEP)
    with pytest.raises(BadJson):
        loads('{"a": [1, 2}')
    nested = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert loads(nested) is not None
    assert loads('{"text": "[[[[[[ not nesting ]"}') == {"text": "[[[[[[ not nesting ]"}


@pytest.mark.django_db
@pytest.mark.parametrize("body", [DEEP, '{"summary": '])
def test_deep_or_broken_json_to_the_api_is_422(cast, client_for, body):
    response = client_for(cast.midwife_a).post(
        "/api/v1/referrals", data=body, content_type="application/json"
    )
    assert response.status_code == 422
