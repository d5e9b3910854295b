"""Who may reach the video library, and which videos a parent may watch.

Library entries name no family, so they are not audited as reads. Staff reach national
videos and their own sites' local ones; NSPCC admins change national videos and site
managers their site's. Parents reach only the videos released to their family.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.accounts.selectors import roles_for
from babysteps.core.access import NOT_FOUND, as_id, one
from babysteps.families.models import Parent
from babysteps.licensing.models import Site
from babysteps.videos.models import Video, VideoVersion
from babysteps.videos.selectors import video_released_to_family


def videos_for_user(user: User) -> QuerySet[Video]:
    """Library entries a member of staff may see: every video for NSPCC admins; national
    videos and their own sites' local videos for site staff; none for anyone else."""
    roles = roles_for(user)
    if roles.is_admin:
        return Video.objects.all()
    if not roles.site_ids:
        return Video.objects.none()
    return Video.objects.filter(Q(site__isnull=True) | Q(site_id__in=roles.site_ids))


def can_manage_library(user: User) -> bool:
    """Who changes library entries: NSPCC admins (national videos) and site managers
    (their site's local videos). Facilitators open and play entries but change none."""
    roles = roles_for(user)
    return roles.is_admin or roles.is_manager


def can_manage_video(*, user: User, site: Site | None) -> bool:
    """National videos belong to NSPCC admins; local ones to the site's managers too."""
    roles = roles_for(user)
    return roles.is_admin or (site is not None and site.pk in roles.managed_site_ids)


def video_for_user(user: User, video_id: int | str, *, manage: bool = False) -> Video:
    """A library entry the user may open and stream (see ``videos_for_user``); else 404.
    ``manage`` asks for the right to change it (PermissionDenied otherwise): admins for
    national videos, a site's managers for its local ones."""
    video = one(
        videos_for_user(user).select_related("component", "site", "current_version"), video_id
    )
    if manage and not can_manage_video(user=user, site=video.site):
        raise PermissionDenied(_("Only NSPCC admins change national videos."))
    return video


def video_version_for_user(user: User, version_id: int | str, *, video: Video) -> VideoVersion:
    """A version of a library entry already reached through ``video_for_user``."""
    return one(VideoVersion.objects.filter(video=video), version_id)


def video_for_parent(parent: Parent, video_id: int | str, *, now: datetime | None = None) -> Video:
    """A video released to the parent's family (national or their site's, published or
    theirs before it was retired, its component's release date reached); else 404."""
    video = video_released_to_family(parent.family, as_id(video_id), now=now or timezone.now())
    if video is None:
        raise Http404(NOT_FOUND)
    return video
