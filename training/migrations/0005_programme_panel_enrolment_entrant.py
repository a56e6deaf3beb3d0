"""Every programme gets its scoring panel (the trainee assessment) and every enrolment its
entrant on it; the fields become required in 0006."""

import django.db.models.deletion
from django.db import migrations, models


def panels_for_programmes(apps, schema_editor):
    Programme = apps.get_model("training", "Programme")
    Enrolment = apps.get_model("training", "Enrolment")
    Panel = apps.get_model("scoring", "Panel")
    Entrant = apps.get_model("scoring", "Entrant")
    for programme in Programme.objects.filter(panel__isnull=True):
        if programme.school_id:
            panel = Panel.objects.create(school_id=programme.school_id)
        else:
            panel = Panel.objects.create(district_id=programme.district_id)
        programme.panel = panel
        programme.save(update_fields=["panel"])
        for enrolment in Enrolment.objects.filter(programme=programme).select_related("teacher"):
            enrolment.entrant = Entrant.objects.create(
                panel=panel, user_id=enrolment.teacher.user_id
            )
            enrolment.save(update_fields=["entrant"])


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0001_initial"),
        ("training", "0004_certificates"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="entrant",
            field=models.OneToOneField(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="%(class)s",
                to="scoring.entrant",
                verbose_name="entrant",
            ),
        ),
        migrations.AddField(
            model_name="programme",
            name="panel",
            field=models.OneToOneField(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="%(class)s",
                to="scoring.panel",
                verbose_name="scoring panel",
            ),
        ),
        migrations.AddField(
            model_name="programme",
            name="pass_mark",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="pass mark (total out of 100)"
            ),
        ),
        # Backwards the panels stay, without an owner: nothing reads them.
        migrations.RunPython(panels_for_programmes, migrations.RunPython.noop),
    ]
