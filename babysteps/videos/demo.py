"""Demo: the NSPCC's national videos, real short WebM files with WebVTT captions made
once by ``scripts/make_demo_videos.py`` and kept in ``demo_media/`` (nothing is
generated or downloaded when the demo runs)."""

import json
from datetime import date, datetime, time
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from babysteps.demo.registry import DemoContext, seeder
from babysteps.programme.models import Component
from babysteps.videos.models import Video
from babysteps.videos.services import video_create, video_publish, video_version_add

MEDIA = Path(__file__).resolve().parent / "demo_media"


def demo_catalogue() -> list[dict]:
    return json.loads((MEDIA / "manifest.json").read_text(encoding="utf-8"))


BITESIZE_READY = (date(2020, 4, 24), time(10))


@seeder(40, "videos: the national video library")
def seed_videos(ctx: DemoContext) -> None:
    admin = ctx.user("admin@nspcc.demo")
    components = {c.code: c for c in Component.objects.all()}
    for item in demo_catalogue():
        if Video.objects.filter(title=item["title"], site__isnull=True).exists():
            continue
        video = video_create(
            created_by=admin,
            component=components[item["component"]],
            site=None,
            title=item["title"],
            summary=item["summary"],
            order=item["order"],
        )
        video_version_add(
            video=video,
            uploaded_by=admin,
            file=SimpleUploadedFile(
                item["video"], (MEDIA / item["video"]).read_bytes(), "video/webm"
            ),
            captions=(MEDIA / item["captions"]).read_bytes(),
            poster=SimpleUploadedFile(
                item["poster"], (MEDIA / item["poster"]).read_bytes(), "image/jpeg"
            ),
            transcript=item["transcript"],
            note="Demo video",
        )
        # The NSPCC's bitesize videos were ready on 24 April 2020 (the delivery demo's story).
        ready = timezone.make_aware(datetime.combine(*BITESIZE_READY))
        video_publish(video=video, changed_by=admin, now=ready)
