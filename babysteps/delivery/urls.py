from django.urls import path

from babysteps.delivery import report_views, switch_views, views, week_views

app_name = "delivery"
urlpatterns = [
    path("families/<int:family_id>/contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/<int:contact_id>/", views.contact_detail, name="contact"),
    path("contacts/<int:contact_id>/correct/", views.contact_correct, name="contact_correct"),
    path(
        "cohorts/<int:cohort_id>/register/<int:session_id>/",
        views.register,
        name="register",
    ),
    path("cohorts/<int:cohort_id>/switch/", switch_views.cohort_switch, name="cohort_switch"),
    path("tasks/<int:task_id>/close/", views.task_close, name="task_close"),
    path("week/", week_views.facilitator_week, name="week"),
    path("reports/", report_views.reports_index, name="reports"),
    path("sites/<int:site_id>/", report_views.site_delivery, name="site"),
    path("sites/<int:site_id>/switch/", switch_views.site_switch, name="site_switch"),
    path("sites/<int:site_id>/time/", report_views.site_time, name="site_time"),
]
