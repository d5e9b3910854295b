"""The delivered mode and dose (evaluation/dose.py), from counts of what was attended."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from babysteps.evaluation import dose


@pytest.mark.parametrize(
    ("remote", "attended", "mode"),
    [
        (0, 0, ""),  # nothing recorded: nothing can be said
        (0, 10, "face_to_face"),
        (2, 10, "face_to_face"),  # 20% is still face-to-face
        (3, 10, "blended"),
        (7, 10, "blended"),
        (8, 10, "remote"),  # 80% is remote
        (10, 10, "remote"),
        (1, 5, "face_to_face"),
        (4, 5, "remote"),
    ],
)
def test_the_delivered_mode_follows_the_remote_share(remote, attended, mode):
    assert dose.delivered_mode(remote, attended) == mode


def test_the_thresholds_are_settings():
    assert dose.delivered_mode(3, 10, face_to_face_max=0.3) == "face_to_face"
    assert dose.delivered_mode(6, 10, remote_min=0.6) == "remote"


@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 30)).map(lambda t: (min(t), max(t))),
        max_size=50,
    )
)
def test_the_array_form_agrees_with_the_scalar_one(pairs):
    remote = np.array([r for r, _ in pairs], dtype=float)
    attended = np.array([a for _, a in pairs], dtype=float)
    expected = [dose.delivered_mode(r, a) for r, a in pairs]
    assert list(dose.delivered_modes(remote, attended)) == expected


@pytest.mark.parametrize(
    ("components", "band"),
    [(0, "0-3"), (3, "0-3"), (4, "4-6"), (6, "4-6"), (7, "7-11"), (11, "7-11"), (12, "7-11")],
)
def test_dose_bands(components, band):
    assert dose.dose_band(components) == band


def test_the_remote_share_is_rounded_and_undefined_without_contacts():
    assert dose.remote_share(1, 3) == 0.333
    assert dose.remote_share(0, 0) is None
