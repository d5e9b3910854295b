"""The public licence enquiry, at /enquire/ (a fixed address)."""

from django.urls import path

from babysteps.licensing import views

app_name = "enquiry"
urlpatterns = [
    path("", views.enquire, name="form"),
    path("sent/", views.enquiry_sent, name="sent"),
    path("confirm/", views.enquiry_confirm, name="confirm"),
]
