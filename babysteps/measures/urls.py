from django.urls import path

from babysteps.measures import views

app_name = "measures"
urlpatterns = [
    path("families/<int:family_id>/new/", views.administration_create, name="create"),
    path("<int:administration_id>/", views.administration_detail, name="detail"),
    path("<int:administration_id>/void/", views.administration_void_view, name="void"),
]
