from django.urls import path

from babysteps.portal import prep_views

app_name = "prep"
urlpatterns = [
    path("<int:family_id>/", prep_views.call_prep, name="family"),
    path(
        "<int:family_id>/questions/<int:question_id>/discussed/",
        prep_views.question_discussed,
        name="question_discussed",
    ),
    path("<int:family_id>/sign-in-link/", prep_views.send_sign_in_link, name="sign_in_link"),
]
