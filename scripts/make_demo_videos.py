"""Make the demo's short videos, once, and write them into the repository.

    .venv/bin/pip install "av>=14" numpy pillow     # only for this script
    .venv/bin/python scripts/make_demo_videos.py

Each video is a small WebM (VP8, no sound: every browser plays it, headless Chromium
included), with WebVTT captions that carry its words, and a JPEG poster. The seeder
(``babysteps/videos/demo.py``) loads them from ``babysteps/videos/demo_media/`` using
``manifest.json``; nothing is generated or downloaded when the demo runs.
"""

import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent.parent / "babysteps" / "videos" / "demo_media"
WIDTH, HEIGHT, FPS, SECONDS = 320, 180, 10, 16
CUE_SECONDS = 4

# (slug, component, order, title, summary, colour, four caption lines)
VIDEOS = [
    (
        "hv1-welcome",
        "HV1",
        1,
        "Welcome to Baby Steps",
        "What the programme is, and how the videos and calls fit together.",
        (29, 79, 145),
        [
            "Welcome to Baby Steps, from the NSPCC and your local team.",
            "Before each call, there are a few short videos like this one.",
            "Watch them in your own time, on your phone if you like.",
            "Then bring your questions and worries to the call.",
        ],
    ),
    (
        "s1-growing",
        "S1",
        1,
        "Your baby is growing",
        "How your baby hears, feels and responds before birth.",
        (0, 112, 60),
        [
            "Your baby can already hear your voices.",
            "They feel movement and respond to touch.",
            "By now, your baby has times of being awake and asleep.",
            "Notice the patterns: you are getting to know each other.",
        ],
    ),
    (
        "s1-bump",
        "S1",
        2,
        "Talking to your bump",
        "Why talking and singing to your bump helps you bond.",
        (0, 94, 93),
        [
            "Talking and singing to your bump helps you bond.",
            "Partners too: your baby learns your voice.",
            "It does not matter what you say. Say it warmly.",
            "Try it tonight, for a minute or two.",
        ],
    ),
    (
        "s2-changes",
        "S2",
        1,
        "Changes for you both",
        "Becoming parents changes your relationship: what to expect.",
        (138, 75, 0),
        [
            "Becoming parents changes your relationship.",
            "Tiredness and worry can make small things feel big.",
            "Most couples feel this. It is not a sign of failing.",
            "Talk about it early, before the baby arrives.",
        ],
    ),
    (
        "s2-sharing",
        "S2",
        2,
        "Sharing feelings and tasks",
        "Ideas for sharing the load, and the feelings, with your partner.",
        (112, 48, 160),
        [
            "Make a list of the jobs a new baby brings.",
            "Decide together who does what, and swap sometimes.",
            "Say how you feel, not only what needs doing.",
            "Ask for help from family and friends too.",
        ],
    ),
    (
        "s3-wellbeing",
        "S3",
        1,
        "Looking after yourselves",
        "Low mood and anxiety are common, and help is there.",
        (177, 14, 30),
        [
            "Low mood and anxiety are common in pregnancy.",
            "Sleep, food, movement and people around you all help.",
            "If you feel low for more than two weeks, tell someone.",
            "Your midwife, health visitor or GP can help.",
        ],
    ),
    (
        "s4-birth",
        "S4",
        1,
        "Getting ready for the birth",
        "What happens in labour, the choices you have, and the partner's role.",
        (80, 90, 95),
        [
            "Labour usually starts slowly. You have time.",
            "Write down what matters to you in a birth plan.",
            "Partners: you can help with breathing and comfort.",
            "Pack the bag a few weeks before the due date.",
        ],
    ),
]


def _stamp(seconds: float) -> str:
    whole = int(seconds)
    return f"00:{whole // 60:02d}:{whole % 60:02d}.{round((seconds - whole) * 1000):03d}"


def _frame(title: str, colour: tuple[int, int, int], t: float, font, small) -> np.ndarray:
    image = Image.new("RGB", (WIDTH, HEIGHT), colour)
    draw = ImageDraw.Draw(image)
    draw.text((WIDTH / 2, 58), title, font=font, fill="white", anchor="mm")
    draw.text((WIDTH / 2, 86), "Baby Steps", font=small, fill=(230, 230, 230), anchor="mm")
    # Small footsteps crossing the screen: motion that shows the video is playing.
    x = 20 + (WIDTH - 40) * (t / SECONDS)
    for i in range(4):
        fx = x - i * 18
        fy = 122 + (8 if i % 2 else 0)
        if 0 < fx < WIDTH:
            draw.ellipse((fx - 5, fy - 7, fx + 5, fy + 7), fill=(255, 255, 255))
    draw.rectangle((0, HEIGHT - 6, int(WIDTH * t / SECONDS), HEIGHT), fill=(255, 221, 0))
    return np.asarray(image)


def make(slug: str, title: str, colour: tuple[int, int, int], lines: list[str]) -> None:
    font = ImageFont.load_default(size=20)
    small = ImageFont.load_default(size=13)
    container = av.open(str(OUT / f"{slug}.webm"), mode="w")
    stream = container.add_stream("libvpx", rate=FPS)
    stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
    stream.bit_rate = 80_000
    stream.time_base = Fraction(1, FPS)
    for n in range(SECONDS * FPS):
        frame = av.VideoFrame.from_ndarray(
            _frame(title, colour, n / FPS, font, small), format="rgb24"
        )
        frame.pts = n
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    container.close()
    poster = Image.fromarray(_frame(title, colour, SECONDS / 2, font, small))
    poster.save(OUT / f"{slug}.jpg", quality=70)
    cues = ["WEBVTT", ""]
    for i, line in enumerate(lines):
        cues += [f"{_stamp(i * CUE_SECONDS)} --> {_stamp((i + 1) * CUE_SECONDS - 0.2)}", line, ""]
    (OUT / f"{slug}.vtt").write_text("\n".join(cues), encoding="utf-8")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = []
    for slug, component, order, title, summary, colour, lines in VIDEOS:
        make(slug, title, colour, lines)
        manifest.append(
            {
                "slug": slug,
                "component": component,
                "order": order,
                "title": title,
                "summary": summary,
                "video": f"{slug}.webm",
                "captions": f"{slug}.vtt",
                "poster": f"{slug}.jpg",
                "transcript": " ".join(lines),
            }
        )
        print(f"{slug}: {(OUT / f'{slug}.webm').stat().st_size // 1024} KB")
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
