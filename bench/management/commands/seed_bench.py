import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.dataset import BENCH_PREFIX, existing_data, seed_bench, summary_rows, wipe
from core.demo import DEMO_PASSWORD, format_table


class Command(BaseCommand):
    help = (
        "Create a large benchmark dataset (districts of 20 schools, teachers with designations, "
        "records, pairings, grades and assessment rounds over several school years) in a "
        "database of its own. Refuses to run twice; --reset wipes the dataset first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=200)
        parser.add_argument("--teachers", type=int, default=20000)
        parser.add_argument("--years", type=int, default=5, help="school years, the current last")
        parser.add_argument(
            "--reset", action="store_true", help="wipe an earlier benchmark dataset first"
        )

    def handle(self, *args, schools, teachers, years, reset, **options) -> None:
        if schools < 1 or teachers < schools or years < 1:
            raise CommandError("Give at least one school, one teacher per school and one year.")
        bench_there, other_there = existing_data()
        if other_there:
            raise CommandError(
                "This database holds other data than the benchmark dataset. Seed the benchmark "
                "into an empty database of its own, e.g. `createdb gugan_bench` and "
                "DATABASE_URL=postgres://…/gugan_bench."
            )
        if bench_there and not reset:
            raise CommandError(
                "The benchmark dataset is already there. Run with --reset to wipe it and "
                "build it again."
            )
        if reset:
            self.stdout.write("Wiping the benchmark dataset …")
            wipe()
        if connection.vendor != "postgresql":
            self.stdout.write(
                self.style.WARNING("Not PostgreSQL: fine for a try, but measure on PostgreSQL.")
            )
        started = time.monotonic()
        bench = seed_bench(
            schools=schools,
            teachers=teachers,
            years=years,
            code_prefix=BENCH_PREFIX,
            log=lambda message: self.stdout.write(
                f"[{time.monotonic() - started:6.0f} s] {message}"
            ),
        )
        self.stdout.write("")
        self.stdout.write(format_table(summary_rows(bench)))
        self.stdout.write(
            self.style.SUCCESS(
                f"\nBenchmark data ready in {time.monotonic() - started:.0f} s. Every login above "
                f"uses the password {DEMO_PASSWORD!r}."
            )
        )
