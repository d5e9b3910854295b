from django.urls import path

from babysteps.videos import views

app_name = "videos"
urlpatterns = [
    path("", views.video_list, name="list"),
    path("new/", views.video_create, name="create"),
    path("report/", views.report, name="report"),
    path("<int:video_id>/", views.video_detail, name="detail"),
    path("<int:video_id>/edit/", views.video_edit, name="edit"),
    path("<int:video_id>/versions/new/", views.version_new, name="version_new"),
    path("<int:video_id>/publish/", views.video_publish, name="publish"),
    path("<int:video_id>/captions/", views.captions_add, name="captions_add"),
    path("<int:video_id>/retire/", views.video_retire, name="retire"),
    path("<int:video_id>/versions/<int:version_id>/file/", views.version_file, name="version_file"),
    path(
        "<int:video_id>/versions/<int:version_id>/poster/",
        views.version_poster,
        name="version_poster",
    ),
    path(
        "<int:video_id>/versions/<int:version_id>/captions.vtt",
        views.version_captions,
        name="version_captions",
    ),
]
