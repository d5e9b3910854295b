from django.urls import path

from babysteps.licensing import views

app_name = "licensing"
urlpatterns = [
    path("", views.pipeline_page, name="pipeline"),
    path("<int:licence_id>/", views.licence_page, name="licence"),
    path("<int:licence_id>/step/", views.licence_step, name="step"),
    path("<int:licence_id>/readiness/", views.readiness_confirm, name="readiness"),
    path("<int:licence_id>/evidence/", views.readiness_document, name="evidence"),
]
