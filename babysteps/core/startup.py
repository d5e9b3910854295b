"""What a production server checks before it serves anything."""

from pathlib import Path
from typing import Any

from django.conf import settings


def missing_static_manifest() -> str:
    """A message if pages would fail for want of ``collectstatic`` (the manifest storage
    with DEBUG off and no manifest), else ""."""
    staticfiles: Any = settings.STORAGES.get("staticfiles", {})
    backend = str(staticfiles.get("BACKEND", ""))
    if settings.DEBUG or "Manifest" not in backend:
        return ""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        return ""
    return (
        f"The static files' manifest ({manifest}) is missing: run "
        "`python manage.py collectstatic --noinput` before starting the web server."
    )
