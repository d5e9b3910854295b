from django.urls import path

from babysteps.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.evaluation_page, name="page"),
    path("report/", views.evaluation_report, name="report"),
    path("figures.csv", views.figures_csv, name="figures_csv"),
    path("figures.xlsx", views.figures_xlsx, name="figures_xlsx"),
    path("participants.csv", views.participants_csv, name="participants_csv"),
]
