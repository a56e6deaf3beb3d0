import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0004_annual_grade_moves_to_teachers"),
        ("scoring", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessmentround",
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
            model_name="assessmententry",
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
    ]
