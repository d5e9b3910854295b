from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "babysteps.campaigns"
    label = "campaigns"
    verbose_name = "Campaign petitions"
