"""Teacher logins for the load test (`make load`): load01 … loadNN, password gugan2026, each
tied to a teacher of the demo primary school who has no login yet. Idempotent.

    DATABASE_URL=postgres://... python bench/load_users.py [--count 20]

Run `manage.py seed_demo` first; the locustfile logs in as these and the demo staff."""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from core.demo import ensure_role, ensure_user  # noqa: E402
from core.models import Role, School  # noqa: E402
from teachers.models import Teacher  # noqa: E402

SCHOOL_CODE = "GLXX01"  # the demo primary school, where `principal` and `office` work


@transaction.atomic
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    school = School.objects.filter(code=SCHOOL_CODE).first()
    if school is None:
        sys.exit(f"No school {SCHOOL_CODE}: run `manage.py seed_demo` first.")
    for n in range(1, args.count + 1):
        username = f"load{n:02d}"
        teacher = Teacher.objects.filter(user__username=username).first()
        if teacher is None:
            teacher = (
                school.teachers.active().filter(user__isnull=True).order_by("staff_no").first()
            )
            if teacher is None:
                sys.exit(f"{school.name} has no teacher without a login left for {username}.")
        user = ensure_user(username, display_name=teacher.name)
        if teacher.user_id is None:
            teacher.user = user
            teacher.save(update_fields=["user", "updated_at"])
        ensure_role(user, Role.TEACHER, school=school, district=None)
    print(f"{args.count} teacher logins ready (load01 … load{args.count:02d}).")


if __name__ == "__main__":
    main()
