"""Server time and SQL queries of key pages, measured in-process with Django's test client.

    DATABASE_URL=postgres://... python bench/pages.py [--repeat 30]

Uses whatever data the database holds (e.g. after `manage.py seed_demo`). Prints p50/p95
server time and the number of queries per page, as the user each page is for."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from backbone.models import SelectionRound  # noqa: E402
from core.models import User  # noqa: E402
from mentoring.models import Pairing  # noqa: E402
from teachers.models import Teacher  # noqa: E402


def pages():
    teacher = Teacher.objects.filter(school__code="GLXX01").order_by("pk").first()
    round = SelectionRound.objects.order_by("-pk").first()
    yield "principal", "home (dashboard)", "/"
    yield "principal", "teacher list", "/teachers/"
    yield "principal", "teacher list, filtered", "/teachers/?stage=young_backbone&title=3"
    yield "principal", "teacher detail", f"/teachers/{teacher.pk}/"
    yield "principal", "backbone roster", "/backbone/roster/"
    yield "principal", "eligibility (school tier)", "/backbone/eligibility/"
    yield "principal", "targets", "/backbone/targets/"
    yield "principal", "selection rounds", "/backbone/rounds/"
    if round:
        yield "principal", "round detail", f"/backbone/rounds/{round.pk}/"
    pairing = Pairing.objects.order_by("pk").first()
    yield "office", "verification queue", "/records/verification/"
    yield "office", "open-class calendar", "/records/calendar/"
    yield "office", "mentoring overview", "/mentoring/overview/"
    if pairing:
        yield "office", "pairing detail", f"/mentoring/{pairing.pk}/"
    yield "teacher", "My growth", "/records/growth/"
    yield "district", "district home", "/"
    yield "district", "district teacher list", "/teachers/"
    yield "teacher", "teacher home", "/"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    clients = {}
    print(f"{'page':32} {'user':10} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for username, label, url in pages():
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        client.get(url)  # warm up
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(
            f"{label:32} {username:10} {statistics.median(times):8.1f} {p95:8.1f} "
            f"{len(ctx.captured_queries):8d}"
        )


if __name__ == "__main__":
    main()
