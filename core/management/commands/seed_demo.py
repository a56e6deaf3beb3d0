from django.core.management.base import BaseCommand

from core.demo import DEMO_PASSWORD, format_table, seed_demo_data
from core.models import Role, School, User


class Command(BaseCommand):
    help = (
        "Create a demo district with three schools, about 150 teachers and one login per role. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Seed only a database that has no school yet (what `make run` does).",
        )

    def handle(self, *args, **options) -> None:
        if options["if_empty"] and School.objects.exists():
            self.stdout.write(
                "The database is not empty (it has schools): no demo data added. "
                "Run seed_demo without --if-empty to add the demo district anyway."
            )
            return
        demo = seed_demo_data(log=self.stdout.write)
        roles = dict(Role.choices)
        users = User.objects.in_bulk(
            [login.username for login in demo.logins], field_name="username"
        )
        rows = [("username", "name", "role", "school", "password")]
        for login in demo.logins:
            if login.school:
                where = login.school.name
            elif login.role == Role.CITY_OFFICE:
                where = demo.city.name
            else:
                where = demo.district.name if login.role == Role.DISTRICT_OFFICE else "—"
            role = str(roles.get(login.role, login.role))
            name = users[login.username].display_name
            rows.append((login.username, name, role, where, DEMO_PASSWORD))
        self.stdout.write("")
        self.stdout.write(format_table(rows))
        self.stdout.write(
            self.style.SUCCESS(
                f"\nDemo data ready. Every login above uses the password {DEMO_PASSWORD!r} "
                "(set when the login is created; a changed password is kept)."
            )
        )
