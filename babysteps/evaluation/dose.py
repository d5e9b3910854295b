"""What a participant really received (pure: no Django). The delivered mode comes from the
share of the sessions, calls and visits they attended that were remote (a phone or video
call), never from the cohort's label, which is only what was planned.

- ``face_to_face``: at most ``face_to_face_max`` (20%) of what they attended was remote;
- ``remote``: at least ``remote_min`` (80%) was;
- ``blended``: in between;
- ``""``: nothing attended is recorded, so nothing can be said.

Dose is the number of programme components received (of 11), in bands 0-3, 4-6 and 7-11.
The thresholds are settings (``DELIVERED_MODE_FACE_TO_FACE_MAX``, ``DELIVERED_MODE_REMOTE_MIN``);
docs/evaluation.md explains them.
"""

import numpy as np

FACE_TO_FACE, REMOTE, BLENDED = "face_to_face", "remote", "blended"
DELIVERED_MODES = (FACE_TO_FACE, REMOTE, BLENDED)
DOSE_BANDS = (("0-3", 0, 3), ("4-6", 4, 6), ("7-11", 7, 11))


def delivered_mode(
    remote: int, attended: int, *, face_to_face_max: float = 0.2, remote_min: float = 0.8
) -> str:
    """The mode of one participant from counts of what they attended."""
    if attended <= 0:
        return ""
    share = remote / attended
    if share <= face_to_face_max:
        return FACE_TO_FACE
    if share >= remote_min:
        return REMOTE
    return BLENDED


def delivered_modes(
    remote: np.ndarray,
    attended: np.ndarray,
    *,
    face_to_face_max: float = 0.2,
    remote_min: float = 0.8,
) -> np.ndarray:
    """``delivered_mode`` for arrays of counts: an array of mode strings ("" where none)."""
    remote = np.asarray(remote, dtype=float)
    attended = np.asarray(attended, dtype=float)
    share = np.divide(remote, attended, out=np.zeros_like(remote), where=attended > 0)
    out = np.full(share.shape, BLENDED, dtype=object)
    out[share <= face_to_face_max] = FACE_TO_FACE
    out[share >= remote_min] = REMOTE
    out[attended <= 0] = ""
    return out


def remote_share(remote: int, attended: int) -> float | None:
    return round(remote / attended, 3) if attended > 0 else None


def dose_band(components: int) -> str:
    for label, low, high in DOSE_BANDS:
        if low <= components <= high:
            return label
    return DOSE_BANDS[-1][0] if components > DOSE_BANDS[-1][2] else ""
