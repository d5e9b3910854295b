from django.urls import path

from babysteps.home import views

app_name = "home"
urlpatterns = [path("", views.index, name="index")]
