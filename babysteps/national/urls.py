from django.urls import path

from babysteps.national import views

app_name = "national"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sites.csv", views.dashboard_csv, name="csv"),
    path("sites.xlsx", views.dashboard_xlsx, name="xlsx"),
]
