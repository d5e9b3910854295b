"""Addresses under /families/ for placing families in cohorts (see ``family_views``)."""

from django.urls import path

from babysteps.cohorts import family_views

app_name = "placements"
urlpatterns = [
    path("new/", family_views.family_create, name="family_create"),
    path("<int:family_id>/enrolments/", family_views.enrolment_add, name="enrol"),
    path(
        "<int:family_id>/enrolments/<int:enrolment_id>/status/",
        family_views.enrolment_status,
        name="enrolment_status",
    ),
]
