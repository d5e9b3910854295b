from django.urls import path

from babysteps.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("<int:alert_id>/", views.alert_detail, name="detail"),
]
