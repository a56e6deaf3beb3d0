import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("backbone", "0004_scores_move_to_panels")]

    operations = [
        migrations.AlterField(
            model_name="selectionround",
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
            model_name="candidate",
            name="entrant",
            field=models.OneToOneField(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="%(class)s",
                to="scoring.entrant",
                verbose_name="entrant",
            ),
        ),
        migrations.RemoveField(model_name="selectionround", name="committee"),
        migrations.DeleteModel(name="Score"),
        migrations.DeleteModel(name="ScoreSheet"),
        migrations.DeleteModel(name="Criterion"),
    ]
