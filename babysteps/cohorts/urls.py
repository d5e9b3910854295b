from django.urls import path

from babysteps.cohorts import views

app_name = "cohorts"
urlpatterns = [
    path("", views.cohort_list, name="list"),
    path("new/", views.cohort_create, name="create"),
    path("<int:cohort_id>/", views.cohort_detail, name="detail"),
    path("<int:cohort_id>/edit/", views.cohort_edit, name="edit"),
    path("<int:cohort_id>/facilitators/", views.cohort_facilitators, name="facilitators"),
    path(
        "<int:cohort_id>/facilitators/<int:user_id>/remove/",
        views.cohort_facilitator_remove,
        name="facilitator_remove",
    ),
    path("<int:cohort_id>/schedule/", views.cohort_schedule_regenerate, name="schedule"),
    path(
        "<int:cohort_id>/schedule/<int:session_id>/",
        views.planned_session_edit,
        name="session_edit",
    ),
]
