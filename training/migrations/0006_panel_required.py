import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("training", "0005_programme_panel_enrolment_entrant")]

    operations = [
        migrations.AlterField(
            model_name="enrolment",
            name="entrant",
            field=models.OneToOneField(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="%(class)s",
                to="scoring.entrant",
                verbose_name="entrant",
            ),
        ),
        migrations.AlterField(
            model_name="programme",
            name="panel",
            field=models.OneToOneField(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="%(class)s",
                to="scoring.panel",
                verbose_name="scoring panel",
            ),
        ),
    ]
