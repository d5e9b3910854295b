"""The audit trail becomes tamper-evident and append-only.

1. Every event gets ``prev_hash`` and ``hash``; existing events are chained in id order.
2. A permit table (not a model: only the retention purge writes it, in raw SQL) and
   triggers that refuse UPDATE and DELETE of events, except a DELETE of events older than
   a permit's ``before`` (the purge, inside one transaction that adds and removes the
   permit). PostgreSQL's TRUNCATE needs the table owner and is not an application path.
"""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from babysteps.audit.chain import GENESIS, digest
from babysteps.audit.models import chained_content

SQLITE_UP = [
    "CREATE TABLE IF NOT EXISTS audit_purge_permit (before datetime NOT NULL)",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
    WHEN NOT EXISTS (SELECT 1 FROM audit_purge_permit p WHERE OLD.at < p.before)
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
    "DROP TABLE IF EXISTS audit_purge_permit",
]
POSTGRES_UP = [
    "CREATE TABLE IF NOT EXISTS audit_purge_permit (before timestamptz NOT NULL)",
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (
            SELECT 1 FROM audit_purge_permit p WHERE OLD.at < p.before
        ) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
    "DROP TABLE IF EXISTS audit_purge_permit",
]


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    key = settings.AUDIT_CHAIN_KEY.encode()
    prev = GENESIS
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        content = chained_content(**{f: getattr(event, f) for f in (
            "at", "actor_id", "actor_label", "action", "object_type", "object_id",
            "family_id", "site_id", "channel", "reason", "detail",
        )})  # fmt: skip
        event_hash = digest(key, prev, content)
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=prev, hash=event_hash)
        prev = event_hash


def triggers(sql_by_vendor):
    def run(apps, schema_editor):
        for statement in sql_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_delete_action")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "Viewed"),
                    ("list", "Listed"),
                    ("create", "Created"),
                    ("change", "Changed"),
                    ("delete", "Removed"),
                    ("erase", "Erased"),
                    ("hold", "Held"),
                    ("purge", "Purged"),
                    ("export", "Exported"),
                    ("acknowledge", "Acknowledged"),
                    ("sign_in", "Signed in"),
                ],
                max_length=16,
            ),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(
            triggers({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            triggers({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
