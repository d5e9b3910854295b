from django.urls import path

from babysteps.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_new, name="new"),
    path("<slug:slug>/", views.campaign_page, name="page"),
    path("<slug:slug>/thank-you/", views.check_email, name="check_email"),
    path("<slug:slug>/confirm/", views.confirm, name="confirm"),
    path("<slug:slug>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/manage/", views.campaign_manage, name="manage"),
    path("<slug:slug>/signatures.csv", views.signatures_csv, name="signatures_csv"),
]
