from django.urls import path

from babysteps.training import views

app_name = "training"
urlpatterns = [
    path("", views.register, name="register"),
    path("request/", views.request_training, name="request"),
    path("events/<int:event_id>/", views.event_page, name="event"),
]
