import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("backbone", "0002_designation_flag_reason_designation_flagged_at"),
        ("scoring", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="selectionround",
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
            model_name="candidate",
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
