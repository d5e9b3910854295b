from django.urls import path

from babysteps.privacy import views

app_name = "privacy"
urlpatterns = [
    path(
        "families/<int:family_id>/subject-access/",
        views.subject_access,
        name="subject_access",
    ),
    path("families/<int:family_id>/erasure/", views.erasure_new, name="erasure_new"),
    path("families/<int:family_id>/holds/", views.hold_new, name="hold_new"),
    path("holds/<int:hold_id>/release/", views.hold_release, name="hold_release"),
    path("erasures/", views.erasure_list, name="erasure_list"),
    path("erasures/<int:request_id>/", views.erasure_detail, name="erasure_detail"),
    path("retention/", views.retention, name="retention"),
]
