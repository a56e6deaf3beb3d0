"""Teachers who left before leaving ended roles: their roles at the school they left end now,
and a login left with no role anywhere (superusers aside) is switched off. Their records stay.
Nothing is restored when migrating back."""

from django.db import migrations


def end_roles_of_leavers(apps, schema_editor):
    Teacher = apps.get_model("teachers", "Teacher")
    RoleAssignment = apps.get_model("core", "RoleAssignment")
    User = apps.get_model("core", "User")
    leavers = Teacher.objects.filter(is_active=False, user__isnull=False)
    user_ids = set()
    for user_id, school_id in leavers.values_list("user_id", "school_id"):
        RoleAssignment.objects.filter(user_id=user_id, school_id=school_id).delete()
        user_ids.add(user_id)
    (
        User.objects.filter(pk__in=user_ids, is_superuser=False, role_assignments__isnull=True)
        .update(is_active=False)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("teachers", "0002_teacher_full_name"),
        ("core", "0004_job_heartbeat_at"),
    ]

    operations = [migrations.RunPython(end_roles_of_leavers, migrations.RunPython.noop)]
