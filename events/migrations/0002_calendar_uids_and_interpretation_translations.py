import uuid

from django.db import migrations, models


def fill_uids_and_interpretation(apps, schema_editor):
    """Give existing rows their own calendar UID; keep the interpretation text as English."""
    for model_name in ("Event", "Session"):
        model = apps.get_model("events", model_name)
        for row in model.objects.only("pk").iterator():
            model.objects.filter(pk=row.pk).update(uid=uuid.uuid4())
    Session = apps.get_model("events", "Session")
    Session.objects.filter(interpretation_en__isnull=True).update(
        interpretation_en=models.F("interpretation")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
    ]

    operations = [
        # Added without uniqueness first: the default is evaluated once for existing rows.
        migrations.AddField(
            model_name="event",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="session",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="session",
            name="interpretation_en",
            field=models.CharField(
                blank=True,
                help_text="For example: simultaneous interpretation English–Russian.",
                max_length=100,
                null=True,
                verbose_name="interpretation",
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="interpretation_ru",
            field=models.CharField(
                blank=True,
                help_text="For example: simultaneous interpretation English–Russian.",
                max_length=100,
                null=True,
                verbose_name="interpretation",
            ),
        ),
        migrations.RunPython(fill_uids_and_interpretation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="event",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="session",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
