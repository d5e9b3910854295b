from django.urls import path

from babysteps.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.evaluation_page, name="page"),
    path("report/", views.evaluation_report, name="report"),
    path("figures.csv", views.figures_csv, name="figures_csv"),
    path("figures.xlsx", views.figures_xlsx, name="figures_xlsx"),
    path("participants.csv", views.participants_csv, name="participants_csv"),
    # For statistical tools, with labels (export_participants from the page).
    *[
        path(
            f"participants-labelled.{fmt}",
            views.participants_file,
            {"fmt": fmt},
            name=f"labelled_{fmt}",
        )
        for fmt in ("csv", "xlsx", "sav", "dta")
    ],
    path("codebook.csv", views.participants_file, {"fmt": "codebook"}, name="codebook_csv"),
]
