"""The parent portal's pages. Parents are identified by the portal session
(``babysteps.portal.identity``), never by a staff account; every video is reached
through ``video_for_parent``."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from babysteps.core.channel import audit_channel
from babysteps.core.forms import add_service_errors
from babysteps.core.jsonbody import loads
from babysteps.core.languages import code_for
from babysteps.core.ratelimit import RateLimited, client_ip
from babysteps.portal import selectors, services
from babysteps.portal.forms import (
    CodeForm,
    FamilyContactForm,
    ProfileForm,
    QuestionForm,
    SignInForm,
)
from babysteps.portal.identity import (
    SESSION_LANGUAGE,
    SESSION_PARENT,
    SESSION_PARENT_LANGUAGE,
    ParentHttpRequest,
    current_parent,
    parent_required,
    portal_channel,
    portal_sign_in,
    portal_sign_out,
)
from babysteps.portal.models import ParentQuestion, PortalProfile
from babysteps.portal.questionnaires import questionnaires_due
from babysteps.videos.access import video_for_parent
from babysteps.videos.selectors import caption_languages, caption_text
from babysteps.videos.streaming import private_file_response
from babysteps.videos.watching import watch_record

SESSION_BROWSER = "portal_browser"


def _question_form() -> QuestionForm:
    return QuestionForm(initial={"submission_key": secrets.token_hex(16)})


@never_cache
def home(request: HttpRequest) -> HttpResponse:
    """Signed in: the next call and its videos, earlier videos, the question box.
    Signed out: the sign-in form (this is the address parents are given)."""
    parent = current_parent(request)
    if parent is None:
        return TemplateResponse(request, "portal/sign_in.html", {"form": SignInForm()})
    return TemplateResponse(
        request,
        "portal/home.html",
        {
            "parent": parent,
            "home": selectors.portal_home(parent=parent, now=timezone.now()),
            "question_form": _question_form(),
            "questionnaires_to_do": [
                d for d in questionnaires_due(parent=parent, now=timezone.now()) if not d.done
            ],
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        browser = request.session.get(SESSION_BROWSER) or secrets.token_urlsafe(32)
        try:
            services.sign_in_request(
                raw_address=form.cleaned_data["address"], ip=client_ip(request), browser=browser
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except RateLimited as exc:
            return TemplateResponse(
                request, "portal/sign_in.html", {"form": form, "limited": str(exc)}, status=429
            )
        else:
            # A secret kept in this browser only: the code (and the link without it) works
            # where it was asked for.
            request.session[SESSION_BROWSER] = browser
            request.session["portal_asked"] = True
            return redirect("portal:sign_in_code")
    return TemplateResponse(request, "portal/sign_in.html", {"form": form})


@never_cache
@portal_channel
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    if not request.session.get("portal_asked"):
        return redirect("portal:sign_in")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            parent = services.sign_in_with_code(
                browser=request.session.get(SESSION_BROWSER, ""),
                code=form.cleaned_data["code"],
                ip=client_ip(request),
            )
        except RateLimited as exc:
            return TemplateResponse(
                request, "portal/code.html", {"form": form, "limited": str(exc)}, status=429
            )
        if parent is not None:
            portal_sign_in(request, parent)
            return redirect("portal:home")
        form.add_error(
            "code",
            _(
                "That code is not right, or it has expired. Check the latest message we "
                "sent, or ask for a new code."
            ),
        )
    return TemplateResponse(request, "portal/code.html", {"form": form})


@never_cache
@portal_channel
@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest) -> HttpResponse:
    """Opening the link shows a button; pressing it signs in. (Mail scanners that open
    links must not use up the one-time link.) In any browser but the one that asked, the
    code from the same message is asked for too. The token is in the query string (GET)
    and a hidden field (POST), never in a logged path."""
    token = (request.POST.get("token") or request.GET.get("token") or "")[:100]
    browser = request.session.get(SESSION_BROWSER, "")
    if not services.sign_in_link_is_live(token):
        return TemplateResponse(request, "portal/link_expired.html", {}, status=404)
    needs_code = services.sign_in_link_needs_code(token, browser=browser)
    form = CodeForm(request.POST or None) if needs_code else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            parent = services.sign_in_with_link(
                token=token,
                browser=browser,
                code=form.cleaned_data["code"] if form is not None else "",
                ip=client_ip(request),
            )
        except RateLimited as exc:
            return TemplateResponse(
                request,
                "portal/link.html",
                {"form": form, "limited": str(exc), "token": token},
                status=429,
            )
        if parent is not None:
            portal_sign_in(request, parent)
            return redirect("portal:home")
        if form is not None:
            form.add_error("code", _("That code is not right. Use the code in the same message."))
    return TemplateResponse(request, "portal/link.html", {"form": form, "token": token})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher on every portal page: kept for this browser, and as the
    signed-in parent's own choice (so messages follow it too)."""
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        request.session[SESSION_LANGUAGE] = language
        parent = current_parent(request)
        if parent is not None:
            services.parent_language_set(parent=parent, language=language)
            request.session[SESSION_PARENT_LANGUAGE] = language
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith("/portal/"):
        target = reverse("portal:home")
    return redirect(target)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    portal_sign_out(request)
    messages.success(request, _("You have signed out."))
    return redirect("portal:home")


@never_cache
@parent_required
def video_page(request: ParentHttpRequest, video_id: int) -> HttpResponse:
    parent = request.portal_parent
    video = video_for_parent(parent, video_id)
    profile = PortalProfile.objects.filter(parent=parent).first()
    captions_on = video.captions_on_by_default and (profile.captions_on if profile else True)
    watch = video.watches.filter(parent=parent).first()
    languages = caption_languages(video, video.current_version)
    # The parent's language is turned on when the video has captions in it: their own
    # choice in the portal, else the family's (which may be one the portal is not in).
    own = parent.language.split("-")[0] if parent.language else None
    wanted = own or code_for(parent.family.preferred_language)
    codes = [code for code, _ in languages.tracks]
    default_track = wanted if wanted in codes else (codes[0] if codes else None)
    return TemplateResponse(
        request,
        "portal/video.html",
        {
            "parent": parent,
            "video": video,
            "version": video.current_version,
            "captions_on": captions_on,
            "tracks": languages.tracks,
            "default_track": default_track,
            "seconds_watched": round(watch.seconds_watched) if watch else 0,
            "watched": bool(watch and watch.completed_at),
        },
    )


def video_file(request: HttpRequest, video_id: int) -> HttpResponseBase:
    """The video's bytes, with range requests. A player asks for many ranges in a burst
    (and again on every seek), so the answer to "may this parent have this file" is kept
    for a few seconds (PORTAL_STREAM_GRANT_SECONDS) under this session and parent; the
    full check runs whenever it is not there."""
    parent_id = request.session.get(SESSION_PARENT)
    key = f"portal-stream:{request.session.session_key}:{parent_id}:{video_id}"
    grant = cache.get(key) if parent_id else None
    if grant is None:
        grant = _video_file_grant(request, video_id=video_id)
        if settings.PORTAL_STREAM_GRANT_SECONDS:
            cache.set(key, grant, timeout=settings.PORTAL_STREAM_GRANT_SECONDS)
    name, content_type, etag = grant
    return private_file_response(request, name=name, content_type=content_type, etag=etag)


def _video_file_grant(request: HttpRequest, video_id: int) -> tuple[str, str, str]:
    """What the full check allows: the file's name, type and tag; else 404 (signed out,
    another family's video, or one with no file)."""
    parent = current_parent(request)
    if parent is None:
        raise Http404("Not found.")
    with audit_channel("portal"):
        version = video_for_parent(parent, video_id).current_version
    name = version.file.name if version is not None else None
    if version is None or not name:
        raise Http404("Not found.")
    return name, version.content_type, version.sha256[:32]


@parent_required
def video_poster(request: ParentHttpRequest, video_id: int) -> HttpResponseBase:
    version = video_for_parent(request.portal_parent, video_id).current_version
    name = version.poster.name if version is not None else None
    if version is None or not name:
        raise Http404("Not found.")
    return private_file_response(request, name=name, content_type=version.poster_type)


@parent_required
def video_captions(request: ParentHttpRequest, video_id: int) -> HttpResponse:
    video = video_for_parent(request.portal_parent, video_id)
    version = video.current_version
    text = caption_text(video, version, request.GET.get("lang")) if version else ""
    if not text:
        raise Http404("Not found.")
    response = HttpResponse(text, content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@parent_required
@require_POST
def video_progress(request: ParentHttpRequest, video_id: int) -> HttpResponse:
    """The player's batched report of played ranges: ``intervals`` is a JSON list of
    [start, end] seconds (form field or JSON body). Resending is harmless."""
    parent = request.portal_parent
    video = video_for_parent(parent, video_id)
    if video.is_external:
        raise Http404("Not found.")
    raw = request.POST.get("intervals")
    try:
        body = loads(request.body or b"{}") if raw is None else {"intervals": loads(raw)}
        watch = watch_record(parent=parent, video=video, intervals=body.get("intervals"))
    except (ValueError, AttributeError):
        return JsonResponse(
            {"detail": "Send intervals as a JSON list of [start, end]."}, status=422
        )
    except ValidationError as exc:
        return JsonResponse({"detail": exc.messages}, status=422)
    return JsonResponse(
        {
            "seconds_watched": round(watch.seconds_watched, 1),
            "duration": video.length_seconds,
            "watched": watch.completed_at is not None,
        }
    )


@never_cache
@parent_required
@require_http_methods(["GET", "POST"])
def questions(request: ParentHttpRequest) -> HttpResponse:
    parent = request.portal_parent
    form = QuestionForm(request.POST or None) if request.method == "POST" else _question_form()
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_ask(parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Thank you. Your question has been sent to your Baby Steps team and we "
                    "will call you soon."
                )
                if question.call_me_soon
                else _("Thank you. Your question has been sent to your Baby Steps team."),
            )
            return redirect("portal:home")
    return TemplateResponse(
        request,
        "portal/questions.html",
        {
            "parent": parent,
            "question_form": form,
            "questions": ParentQuestion.objects.filter(parent=parent).order_by("-created_at")[:50],
        },
    )


@never_cache
@parent_required
@require_http_methods(["GET", "POST"])
def details(request: ParentHttpRequest) -> HttpResponse:
    parent = request.portal_parent
    family = parent.family
    profile = PortalProfile.objects.filter(parent=parent).first()
    is_mother = services.can_change_family_contact(parent)
    initial = {"captions_on": profile.captions_on if profile else True}
    form_class = FamilyContactForm if is_mother else ProfileForm
    if is_mother:
        initial.update({f: getattr(family, f) for f in services.FAMILY_CONTACT_FIELDS})
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.portal_details_update(parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            parent.family.refresh_from_db(fields=["preferred_language"])
            request.session[SESSION_PARENT_LANGUAGE] = parent.portal_language
            messages.success(request, _("Your details have been saved."))
            return redirect("portal:details")
    return TemplateResponse(
        request,
        "portal/details.html",
        {"parent": parent, "form": form, "is_mother": is_mother, "site_url": settings.SITE_URL},
    )
