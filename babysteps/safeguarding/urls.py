from django.urls import path

from babysteps.safeguarding import signpost_views, views

app_name = "safeguarding"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("queue/", views.queue, name="queue"),
    path("export.csv", views.export, name="export"),
    path("families/<int:family_id>/signpost/", signpost_views.signpost, name="signpost"),
    path(
        "families/<int:family_id>/immediate-risk/",
        signpost_views.immediate_risk,
        name="immediate_risk",
    ),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral"),
    path("referrals/<int:referral_id>/claim/", views.referral_claim, name="claim"),
    path("referrals/<int:referral_id>/assign/", views.referral_assign, name="assign"),
    path("referrals/<int:referral_id>/calls/", views.call_create, name="call"),
    path("referrals/<int:referral_id>/close/", views.referral_close, name="close"),
    path("referrals/<int:referral_id>/withdraw/", views.referral_withdraw, name="withdraw"),
    path("referrals/<int:referral_id>/audit/", views.referral_audit, name="audit"),
]
