from django.contrib import admin
from django.urls import include, path

from babysteps.api_v1 import api

urlpatterns = [
    path("", include("babysteps.home.urls")),
    path("accounts/", include("babysteps.accounts.urls")),
    path("staff/", include("babysteps.staff.urls")),
    path("accounts/passkeys/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("cohorts/", include("babysteps.cohorts.urls")),
    path("families/", include("babysteps.families.urls")),
    path("families/", include("babysteps.cohorts.family_urls")),
    path("families/import/", include("babysteps.imports.urls")),
    path("delivery/", include("babysteps.delivery.urls")),
    path("bookings/", include("babysteps.bookings.urls")),
    path("videos/", include("babysteps.videos.urls")),
    path("prep/", include("babysteps.portal.prep_urls")),
    path("portal/", include("babysteps.portal.urls")),
    path("safeguarding/", include("babysteps.safeguarding.urls")),
    path("questionnaires/", include("babysteps.measures.urls")),
    path("alerts/", include("babysteps.alerts.urls")),
    path("evaluation/", include("babysteps.evaluation.urls")),
    path("privacy/", include("babysteps.privacy.urls")),
    path("campaigns/", include("babysteps.campaigns.urls")),
    path("national/", include("babysteps.national.urls")),
    path("licensing/", include("babysteps.licensing.urls")),
    path("training/", include("babysteps.training.urls")),
    path("enquire/", include("babysteps.licensing.enquiry_urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
