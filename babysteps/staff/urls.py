from django.urls import path

from babysteps.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.sites, name="sites"),
    path("sites/<int:site_id>/", views.members, name="members"),
    path("sites/<int:site_id>/invite/", views.invite, name="invite"),
    path("sites/<int:site_id>/people/<int:user_id>/", views.member, name="member"),
    path("sites/<int:site_id>/people/<int:user_id>/remove/", views.remove, name="remove"),
    path("sites/<int:site_id>/people/<int:user_id>/resend/", views.resend, name="resend"),
    path("invitation/", views.invitation, name="invitation"),
    path("invitation/set-password/", views.invitation_password, name="invitation_password"),
]
