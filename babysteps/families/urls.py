from django.urls import path

from babysteps.families import merge_views, views

app_name = "families"
urlpatterns = [
    path("", views.family_list, name="list"),
    path("<int:family_id>/", views.family_detail, name="detail"),
    path("<int:family_id>/edit/", views.family_edit, name="edit"),
    path("<int:family_id>/baby/", views.baby_create, name="baby"),
    path("<int:family_id>/consents/", views.consent_create, name="consent"),
    path("<int:family_id>/audit/", views.family_audit, name="audit"),
    path("duplicates/", merge_views.duplicate_list, name="duplicates"),
    path("<int:family_id>/merge/", merge_views.family_merge_view, name="merge"),
]
