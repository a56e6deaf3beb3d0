import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessment", "0006_scores_move_to_panels")]

    operations = [
        migrations.AlterField(
            model_name="assessmentround",
            name="panel",
            field=models.OneToOneField(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="%(class)s",
                to="scoring.panel",
                verbose_name="scoring panel",
            ),
        ),
        migrations.AlterField(
            model_name="assessmententry",
            name="entrant",
            field=models.OneToOneField(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="%(class)s",
                to="scoring.entrant",
                verbose_name="entrant",
            ),
        ),
        migrations.RemoveField(model_name="assessmentround", name="committee"),
        migrations.DeleteModel(name="AssessmentScore"),
        migrations.DeleteModel(name="AssessmentSheet"),
    ]
