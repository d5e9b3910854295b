"""Checking WebVTT captions before they are stored. Pure: no Django.

Built on ``webvtt-py`` in strict mode, plus the checks it leaves out: the file must be
UTF-8 text starting with ``WEBVTT``, contain at least one cue, and every cue must end
after it starts (and not after the video ends, when the duration is known).
"""

import io
from dataclasses import dataclass
from typing import Any

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

MAX_CAPTION_BYTES = 1024 * 1024


class CaptionsError(ValueError):
    """The captions cannot be used; the message says why, in plain words."""


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def _seconds(stamp: Any) -> float:
    # webvtt-py's *_in_seconds round down to whole seconds; keep the milliseconds.
    return stamp.hours * 3600 + stamp.minutes * 60 + stamp.seconds + stamp.milliseconds / 1000


def parse_captions(raw: bytes, *, duration: float | None = None) -> tuple[str, list[Cue]]:
    """The normalised text and its cues; raises CaptionsError with a clear reason."""
    if len(raw) > MAX_CAPTION_BYTES:
        raise CaptionsError("The captions file is larger than 1 MB: is it really captions?")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaptionsError("The captions file is not UTF-8 text.") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.startswith("WEBVTT"):
        raise CaptionsError("The captions file must start with the line WEBVTT.")
    try:
        parsed = webvtt.from_buffer(io.StringIO(text), strict=True)
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise CaptionsError(f"The captions are not valid WebVTT: {exc}.") from None
    cues = [Cue(_seconds(c.start_time), _seconds(c.end_time), c.text) for c in parsed.captions]
    if not cues:
        raise CaptionsError("The captions file has no cues (timed lines of text).")
    for number, cue in enumerate(cues, start=1):
        if cue.end <= cue.start:
            raise CaptionsError(f"Cue {number} ends before it starts.")
        if duration is not None and cue.start > duration + 1:
            raise CaptionsError(f"Cue {number} starts after the end of the video.")
    if "-->" in text and text.count("-->") != len(cues):
        raise CaptionsError("Some cues could not be read: check their timings (00:00:01.000).")
    return text, cues


def transcript_from_cues(cues: list[Cue]) -> str:
    """A plain transcript: the cue texts, joined into paragraphs."""
    return "\n".join(c.text.replace("\n", " ").strip() for c in cues if c.text.strip())
