from django import forms
from django.utils.translation import gettext_lazy as _

from babysteps.core.forms import DateInput, model_choice
from babysteps.core.languages import CAPTION_LANGUAGES
from babysteps.licensing.models import Site
from babysteps.programme.models import Component
from babysteps.videos.models import Video


class VideoForm(forms.ModelForm):
    external_url = forms.URLField(
        required=False,
        assume_scheme="https",
        label=_("External private link (instead of a file)"),
        help_text=_("An unlisted hosted video (https), shown embedded."),
    )

    class Meta:
        model = Video
        fields = [
            "title",
            "summary",
            "language",
            "order",
            "captions_on_by_default",
            "external_url",
            "external_captions_confirmed",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class NewVideoForm(VideoForm):
    component = forms.ModelChoiceField(
        queryset=Component.objects.order_by("order"), label=_("Component")
    )
    site = forms.ModelChoiceField(
        queryset=Site.objects.none(),
        required=False,
        label=_("For the families of"),
        empty_label=_("Every site (national NSPCC video)"),
    )

    class Meta(VideoForm.Meta):
        fields = ["component", "site", *VideoForm.Meta.fields]

    def __init__(self, *args, sites, national: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "site").queryset = sites
        if not national:
            self.fields["site"].required = True
            model_choice(self, "site").empty_label = None


class VersionForm(forms.Form):
    file = forms.FileField(
        required=False,
        label=_("Video file (MP4 or WebM)"),
        help_text=_("Leave empty to keep the current file."),
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm"}),
    )
    captions = forms.FileField(
        required=False,
        label=_("Captions (WebVTT, .vtt)"),
        help_text=_(
            "Needed before the video can be published. Leave empty to keep the current ones."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )
    poster = forms.FileField(
        required=False,
        label=_("Poster image (JPEG, PNG or WebP)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    duration_seconds = forms.FloatField(
        required=False,
        min_value=1,
        label=_("Length in seconds"),
        help_text=_("Read from the file when possible; give it for an external link."),
    )
    transcript = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Left empty, it is made from the captions."),
    )
    note = forms.CharField(required=False, max_length=200, label=_("What changed"))


class ReportFilterForm(forms.Form):
    site = forms.ModelChoiceField(
        queryset=Site.objects.none(), required=False, empty_label=_("All")
    )
    date_from = forms.DateField(label=_("Videos opened from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("to"), required=False, widget=DateInput())

    def __init__(self, *args, sites, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "site").queryset = sites

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end comes before the start."))
        return data


class CaptionTrackForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the captions"), choices=CAPTION_LANGUAGES)
    captions = forms.FileField(
        label=_("Captions (WebVTT, .vtt)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )
