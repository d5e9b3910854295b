from django.urls import path

from babysteps.families import views

app_name = "families"
urlpatterns = [
    path("", views.family_list, name="list"),
    path("new/", views.family_create, name="create"),
    path("<int:family_id>/", views.family_detail, name="detail"),
    path("<int:family_id>/edit/", views.family_edit, name="edit"),
    path("<int:family_id>/baby/", views.baby_create, name="baby"),
    path("<int:family_id>/consents/", views.consent_create, name="consent"),
    path("<int:family_id>/enrolments/", views.enrolment_add, name="enrol"),
    path(
        "<int:family_id>/enrolments/<int:enrolment_id>/status/",
        views.enrolment_status,
        name="enrolment_status",
    ),
    path("<int:family_id>/audit/", views.family_audit, name="audit"),
]
