from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    Course = apps.get_model("training", "Course")
    Completion = apps.get_model("training", "TrainingCompletion")
    Profile = apps.get_model("accounts", "PractitionerProfile")
    course, _ = Course.objects.get_or_create(
        code="baby-steps-facilitator",
        defaults={"name": "Baby Steps facilitator training", "events_required": 3, "days": 6},
    )
    # The single date each practitioner had becomes an imported completion.
    now = timezone.now()
    for profile in Profile.objects.exclude(training_completed_on=None):
        Completion.objects.get_or_create(
            user_id=profile.user_id,
            course=course,
            completed_on=profile.training_completed_on,
            defaults={"source": "imported", "recorded_at": now},
        )


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial"), ("accounts", "0004_work_mobile_e164")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
