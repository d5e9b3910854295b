from django.urls import path

from babysteps.portal import booking, questionnaires, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/code/", views.sign_in_code, name="sign_in_code"),
    path("sign-in/link/", views.sign_in_link, name="sign_in_link"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("language/", views.set_language, name="language"),
    path("videos/<int:video_id>/", views.video_page, name="video"),
    path("videos/<int:video_id>/file/", views.video_file, name="video_file"),
    path("videos/<int:video_id>/captions.vtt", views.video_captions, name="video_captions"),
    path("videos/<int:video_id>/poster/", views.video_poster, name="video_poster"),
    path("videos/<int:video_id>/progress/", views.video_progress, name="video_progress"),
    path("questions/", views.questions, name="questions"),
    path("book/", booking.book, name="book"),
    path("calls/<int:booking_id>/", booking.change_call, name="change_call"),
    path("details/", views.details, name="details"),
    path("questionnaires/", questionnaires.questionnaire_list, name="questionnaires"),
    path(
        "questionnaires/<slug:instrument_code>/",
        questionnaires.questionnaire_answer,
        name="questionnaire",
    ),
    path(
        "questionnaires/<slug:instrument_code>/thank-you/",
        questionnaires.questionnaire_done,
        name="questionnaire_done",
    ),
]
