"""The pure modules: played intervals, Range headers, content sniffing, captions."""

import io
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from babysteps.videos.captions import CaptionsError, parse_captions
from babysteps.videos.containers import probe_duration, sniff
from babysteps.videos.intervals import clean_intervals, is_watched, merge_intervals, seconds_played
from babysteps.videos.ranges import ByteRange, Unsatisfiable, parse_range
from tests.videos.fixtures import VTT, WEBM


def test_scrubbing_to_the_end_is_not_watching():
    # Played the first 5 seconds, jumped to the end, played the last second.
    played = merge_intervals([(0, 5), (119, 120)])
    assert seconds_played(played) == 6
    assert not is_watched(seconds=6, duration=120, fraction=0.9)


def test_watched_at_ninety_percent_really_played():
    played = merge_intervals([(0, 60), (50, 100), (100, 108)])
    assert played == [(0, 108)]
    assert is_watched(seconds=seconds_played(played), duration=120, fraction=0.9)
    assert not is_watched(seconds=107.9, duration=120, fraction=0.9)


@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0, 100)), max_size=30))
def test_merging_is_idempotent_and_order_free(raw):
    ranges = [(min(a, b), max(a, b)) for a, b in raw]
    once = merge_intervals(ranges)
    assert merge_intervals(once, ranges) == once  # resending changes nothing
    assert merge_intervals(list(reversed(ranges))) == once
    assert seconds_played(once) <= 100 + 1e-9
    assert all(a[1] < b[0] for a, b in itertools.pairwise(once))


@pytest.mark.parametrize(
    "raw",
    [[[1]], [["a", 2]], [[5, 1]], [[-1, 2]], [[0, float("inf")]], [[True, 3]], ["x"]],
)
def test_malformed_reports_are_refused(raw):
    with pytest.raises(ValueError):  # noqa: PT011 - the message varies by problem
        clean_intervals(raw, duration=60)


def test_reports_are_clipped_to_the_duration():
    assert clean_intervals([[50, 80], [70, 90]], duration=60) == [(50, 60)]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", ByteRange(0, 99)),
        ("bytes=100-", ByteRange(100, 999)),
        ("bytes=-100", ByteRange(900, 999)),
        ("bytes=990-5000", ByteRange(990, 999)),
        ("bytes=-5000", ByteRange(0, 999)),
        (None, None),
        ("bytes=0-1,5-6", None),  # several ranges: send the whole file
        ("items=0-5", None),
        ("bytes=5-1", None),
        ("bytes=x-", None),
    ],
)
def test_range_header(header, expected):
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0"])
def test_range_beyond_the_end_is_unsatisfiable(header):
    with pytest.raises(Unsatisfiable):
        parse_range(header, 1000)


def test_content_decides_the_type_not_the_name():
    assert sniff(WEBM[:8192]) == "video/webm"
    assert sniff(b"Hello, this is a text file renamed to video.mp4\n" * 50) is None


def test_duration_is_read_from_the_webm_header():
    assert probe_duration(io.BytesIO(WEBM), mime="video/webm", size=len(WEBM)) == pytest.approx(16)


def test_duration_is_read_from_an_mp4_header():
    # A minimal ISO-BMFF file: ftyp, then moov with an mvhd (timescale 1000, 42.5 s).
    import struct

    mvhd_body = bytes(4) + struct.pack(">IIII", 0, 0, 1000, 42500) + bytes(80)
    mvhd = struct.pack(">I4s", 8 + len(mvhd_body), b"mvhd") + mvhd_body
    moov = struct.pack(">I4s", 8 + len(mvhd), b"moov") + mvhd
    ftyp = struct.pack(">I4s4sI", 16, b"ftyp", b"isom", 0)
    data = ftyp + moov
    assert sniff(data) == "video/mp4"
    assert probe_duration(io.BytesIO(data), mime="video/mp4", size=len(data)) == 42.5


def test_good_captions_parse_with_milliseconds():
    text, cues = parse_captions(VTT, duration=16)
    assert text.startswith("WEBVTT")
    assert len(cues) == 4 and cues[0].end == pytest.approx(3.8)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"Just some words", "must start with the line WEBVTT"),
        (b"WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nHi\n", "not valid WebVTT"),
        (b"WEBVTT\n\n00:00:03.000 --> 00:00:02.000\nHi\n", "ends before it starts"),
        (b"WEBVTT\n\n", "no cues"),
        (b"\xff\xfe\x00W", "not UTF-8"),
        (b"WEBVTT\n\n00:10:00.000 --> 00:10:02.000\nLate\n", "after the end of the video"),
    ],
)
def test_broken_captions_are_refused_with_a_reason(raw, message):
    with pytest.raises(CaptionsError, match=message):
        parse_captions(raw, duration=16)
