"""Link referrals made from an alert (before the foreign key) to that alert."""

from django.db import migrations

from babysteps.safeguarding.alert_links import link_alert_referrals, unlink_alert_referrals


def link(apps, schema_editor):
    link_alert_referrals(
        apps.get_model("safeguarding", "SafeAndWellReferral"), apps.get_model("alerts", "Alert")
    )


def unlink(apps, schema_editor):
    unlink_alert_referrals(apps.get_model("safeguarding", "SafeAndWellReferral"))


class Migration(migrations.Migration):
    dependencies = [("safeguarding", "0003_referral_alert"), ("alerts", "0001_initial")]

    operations = [migrations.RunPython(link, unlink)]
