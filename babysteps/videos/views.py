"""Staff pages of the video library and the engagement report. Site staff open and play
national videos and their sites' local ones; NSPCC admins change national videos, site
managers their site's local videos."""

from copy import copy
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.core.forms import add_service_errors
from babysteps.core.pagination import paginate
from babysteps.core.replica import reads_from_replica
from babysteps.families.access import families_for_user
from babysteps.licensing.access import managed_sites_for_user, sites_for_user
from babysteps.videos import selectors, services
from babysteps.videos.access import (
    can_manage_library,
    video_for_user,
    video_version_for_user,
    videos_for_user,
)
from babysteps.videos.forms import (
    CaptionTrackForm,
    NewVideoForm,
    ReportFilterForm,
    VersionForm,
    VideoForm,
)
from babysteps.videos.reports import (
    NATIONAL_DAYS,
    day_start,
    engagement,
    national_engagement,
    watched_before_chart,
)
from babysteps.videos.streaming import private_file_response

library_staff = staff_required(lambda roles: roles.sees_family_records)
library_managers = staff_required(lambda roles: roles.is_admin or roles.is_manager)


@library_staff
def video_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    videos = selectors.library(videos=videos_for_user(request.user))
    page = paginate(videos, page=request.GET.get("page"))
    for video in page.object_list:
        video.caption_languages = selectors.caption_languages(video, video.current_version)
    return TemplateResponse(
        request,
        "videos/video_list.html",
        {"page_obj": page, "can_manage": can_manage_library(request.user)},
    )


@library_managers
@require_http_methods(["GET", "POST"])
def video_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    roles = roles_for(request.user)
    form = NewVideoForm(
        request.POST or None, sites=managed_sites_for_user(request.user), national=roles.is_admin
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            video = services.video_create(
                created_by=request.user,
                component=data.pop("component"),
                site=data.pop("site"),
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The video has been added as a draft. Now upload it."))
            return redirect("videos:version_new", video_id=video.pk)
    return TemplateResponse(request, "videos/video_form.html", {"form": form, "new": True})


@library_staff
def video_detail(request: AuthenticatedHttpRequest, video_id: int) -> HttpResponse:
    video = video_for_user(request.user, video_id)
    return TemplateResponse(
        request,
        "videos/video_detail.html",
        {
            "video": video,
            "languages": selectors.caption_languages(video, video.current_version),
            "versions": list(video.versions.select_related("uploaded_by")),
            "can_manage": services.can_manage_video(user=request.user, site=video.site),
        },
    )


@library_managers
@require_http_methods(["GET", "POST"])
def video_edit(request: AuthenticatedHttpRequest, video_id: int) -> HttpResponse:
    video = video_for_user(request.user, video_id, manage=True)
    # The form works on a copy: the service decides what changes, and audits it.
    form = VideoForm(request.POST or None, instance=copy(video))
    if request.method == "POST" and form.is_valid():
        try:
            services.video_update(video=video, changed_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The video's details have been saved."))
            return redirect("videos:detail", video_id=video.pk)
    return TemplateResponse(
        request, "videos/video_form.html", {"form": form, "video": video, "new": False}
    )


@library_managers
@require_http_methods(["GET", "POST"])
def version_new(request: AuthenticatedHttpRequest, video_id: int) -> HttpResponse:
    video = video_for_user(request.user, video_id, manage=True)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.video_version_add(
                video=video,
                uploaded_by=request.user,
                file=data["file"] or None,
                captions=data["captions"] or None,
                poster=data["poster"] or None,
                transcript=data["transcript"],
                duration_seconds=data["duration_seconds"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The new version is saved and is now the current one."))
            return redirect("videos:detail", video_id=video.pk)
    return TemplateResponse(request, "videos/version_form.html", {"form": form, "video": video})


@library_managers
@require_POST
def video_publish(request: AuthenticatedHttpRequest, video_id: int) -> HttpResponse:
    video = video_for_user(request.user, video_id, manage=True)
    try:
        services.video_publish(video=video, changed_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The video is published."))
    return redirect("videos:detail", video_id=video.pk)


@library_managers
@require_POST
def video_retire(request: AuthenticatedHttpRequest, video_id: int) -> HttpResponse:
    video = video_for_user(request.user, video_id, manage=True)
    try:
        services.video_retire(video=video, changed_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The video is retired: families who already have it keep it."))
    return redirect("videos:detail", video_id=video.pk)


def _version(request: AuthenticatedHttpRequest, video_id: int, version_id: int):
    video = video_for_user(request.user, video_id)
    return video_version_for_user(request.user, version_id, video=video)


@library_staff
def version_file(
    request: AuthenticatedHttpRequest, video_id: int, version_id: int
) -> HttpResponseBase:
    version = _version(request, video_id, version_id)
    if not version.file:
        raise Http404("Not found.")
    return private_file_response(
        request, name=version.file.name, content_type=version.content_type, etag=version.sha256[:32]
    )


@library_staff
def version_poster(
    request: AuthenticatedHttpRequest, video_id: int, version_id: int
) -> HttpResponseBase:
    version = _version(request, video_id, version_id)
    if not version.poster:
        raise Http404("Not found.")
    return private_file_response(
        request, name=version.poster.name, content_type=version.poster_type
    )


@library_staff
def version_captions(
    request: AuthenticatedHttpRequest, video_id: int, version_id: int
) -> HttpResponse:
    version = _version(request, video_id, version_id)
    text = selectors.caption_text(version.video, version, request.GET.get("lang"))
    if not text:
        raise Http404("Not found.")
    return HttpResponse(text, content_type="text/vtt; charset=utf-8")


@library_managers
@require_http_methods(["GET", "POST"])
def captions_add(request: AuthenticatedHttpRequest, video_id: int) -> HttpResponse:
    """Captions in one more language (a new version of the video)."""
    video = video_for_user(request.user, video_id, manage=True)
    form = CaptionTrackForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            track = services.caption_track_add(
                video=video,
                language=form.cleaned_data["language"],
                captions=form.cleaned_data["captions"],
                uploaded_by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Captions in %(get_language_display)s added.")
                % {"get_language_display": track.get_language_display()},
            )
            return redirect("videos:detail", video_id=video.pk)
    return TemplateResponse(request, "videos/captions_form.html", {"form": form, "video": video})


@library_managers
@reads_from_replica
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Views and completion per video and component, the share of families who watched
    before their call, and call length beside watching (managers: their sites)."""
    sites = sites_for_user(request.user)
    today = timezone.localdate()
    default_from = today - timedelta(days=NATIONAL_DAYS)
    form = ReportFilterForm(request.GET or None, sites=sites)
    families = families_for_user(request.user)
    videos = videos_for_user(request.user)
    valid = form.is_valid()
    site = form.cleaned_data.get("site") if valid else None
    date_from = (form.cleaned_data.get("date_from") if valid else None) or default_from
    date_to = (form.cleaned_data.get("date_to") if valid else None) or today
    if site is not None:
        families = families.filter(site=site)
    roles = roles_for(request.user)
    if not roles.is_admin and site is None:
        families = families.filter(site_id__in=roles.managed_site_ids)
    computed_at = None
    if roles.is_admin and site is None and (date_from, date_to) == (default_from, today):
        # Every family and video, the last year: the national report, kept ready.
        national = national_engagement(today=today)
        result, computed_at = national.result, national.at
    else:
        result = engagement(
            families=families,
            videos=videos,
            now=timezone.now(),
            opened_from=day_start(date_from),
            opened_to=day_start(date_to + timedelta(days=1)),
        )
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        object_type="video_engagement",
        reason="video engagement report",
        site_id=site.pk if site else None,
        detail={"families": result.families},
    )
    return TemplateResponse(
        request,
        "videos/report.html",
        {
            "form": form,
            "report": result,
            "fraction": round(settings.VIDEO_WATCHED_FRACTION * 100),
            "date_from": date_from,
            "date_to": date_to,
            "computed_at": computed_at,
            "chart": watched_before_chart(result, date_from=date_from, date_to=date_to),
        },
    )
