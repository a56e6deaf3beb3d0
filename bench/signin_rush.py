"""A classroom rush on the QR sign-in: 300 teachers of a district session sign in at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gugan_bench_signin python bench/signin_rush.py
        [--teachers 300] [--threads 8]

The database must be a throwaway PostgreSQL one (it is migrated and filled). Every teacher
posts the short code shown on the projector twice (a second scan), a third of them from two
tabs at once, through Django's test client in ``--threads`` threads (the app's own time, no
network), all at once or (``--within``) at random moments of a window such as the two minutes
of a real rush. Prints the wall time, p50/p95 of one sign-in request, and the lines and credited
records written: each teacher must have exactly one of each."""

import argparse
import datetime
import os
import random
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402


def build(n: int):
    from core.models import District, Role, RoleAssignment, School, SchoolYear, User
    from records.models import Record
    from teachers.models import Teacher
    from training.models import Enrolment, Programme, Session

    Record.objects.all().delete()
    Programme.objects.all().delete()
    district, _ = District.objects.get_or_create(code="RUSH", defaults={"name": "压测区"})
    today = timezone.localdate()
    year = today.year if today.month >= 9 else today.year - 1
    SchoolYear.objects.get_or_create(
        district=district, start_year=year,
        defaults={"start_date": datetime.date(year, 9, 1),
                  "end_date": datetime.date(year + 1, 8, 31)},
    )  # fmt: skip
    schools = [
        School.objects.get_or_create(
            code=f"RUSH{i}", defaults={"district": district, "name": f"压测学校{i}",
                                       "kind": "primary"}
        )[0]
        for i in range(10)
    ]  # fmt: skip
    users = []
    for i in range(n):
        user, _ = User.objects.get_or_create(username=f"rush{i}")
        teacher, _ = Teacher.objects.get_or_create(
            school=schools[i % 10], staff_no=f"R{i:04d}",
            defaults={"name": f"教师{i}", "gender": "F", "career_start": datetime.date(2010, 9, 1),
                      "education": 3, "subject": "语文", "user": user},
        )  # fmt: skip
        RoleAssignment.objects.get_or_create(user=user, role=Role.TEACHER, school=teacher.school)
        users.append((user, teacher))
    programme = Programme.objects.create(
        district=district, title="区级骨干教师培训班", kind="backbone_class",
        start_date=datetime.date(year, 9, 1), end_date=datetime.date(year + 1, 8, 31),
        hours_per_session=Decimal(4), school_based=False,
    )  # fmt: skip
    for _, teacher in users:  # save(): each enrolment gets its entrant (scoring.Scored)
        Enrolment.objects.create(programme=programme, teacher=teacher, origin="named")
    session = Session.objects.create(
        programme=programme, date=today, starts_at=datetime.time(0, 0),
        ends_at=datetime.time(23, 59), theme="专题讲座", content="内容", speaker_name="专家",
        hours=Decimal(4), published_at=timezone.now(),
    )  # fmt: skip
    return session, users


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--teachers", type=int, default=300)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--within", type=float, default=0,
        help="spread the scans at random over this many seconds (the issue's rush: 120); "
        "0 sends them all at once, as fast as the threads go",
    )  # fmt: skip
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Give DATABASE_URL of a throwaway PostgreSQL database.")
    call_command("migrate", verbosity=0)
    from records.models import Training
    from training import signin
    from training.models import Attendance

    session, users = build(args.teachers)
    url = reverse("training:signin")
    times: list[float] = []
    lock = threading.Lock()
    # One request handler for every client, as one server process has: a test client builds
    # its own middleware on its first request, and WhiteNoise's scan of the static files then
    # took a quarter of a second, which no real sign-in pays.
    handler = Client().handler
    clients = {}
    for user, _ in users:
        client = Client()
        client.handler = handler
        client.force_login(user)
        clients[user.pk] = client
    clients[users[0][0].pk].get(reverse("home"))  # the middleware is built once, here

    def scan(item):
        user, at = item
        time.sleep(max(0.0, started + at - time.perf_counter()))
        code = signin.short_code_for(session, signin.step_at(timezone.now()))
        start = time.perf_counter()
        response = clients[user.pk].post(url, {"short_code": code})
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        with lock:
            times.append(elapsed)
        connection.close()

    # Each teacher scans, scans again a little later, and a third of them from two tabs at the
    # same moment; with --within, each teacher arrives at a random moment of the window.
    chance = random.Random(2026)
    work = []
    for n, (user, _) in enumerate(users):
        at = chance.uniform(0, args.within)
        work += [(user, at), (user, min(args.within, at + chance.uniform(0, 10)))]
        if n % 3 == 0:
            work.append((user, at))
    work.sort(key=lambda w: w[1])
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        list(pool.map(scan, work))
    wall = time.perf_counter() - started
    lines = Attendance.objects.filter(session=session).count()
    credited = Training.objects.filter(source=session.source_key).count()
    ms = sorted(t * 1000 for t in times)
    spread = f", spread over {args.within:.0f} s" if args.within else ", all at once"
    print(f"teachers {args.teachers}, requests {len(work)}, threads {args.threads}{spread}")
    print(f"wall {wall:.1f} s, p50 {statistics.median(ms):.1f} ms, "
          f"p95 {ms[int(len(ms) * 0.95) - 1]:.1f} ms, max {ms[-1]:.1f} ms")  # fmt: skip
    print(f"attendance lines {lines}, credited records {credited}, "
          f"double credits {credited - len(set(Training.objects.filter(source=session.source_key).values_list('teacher_id', flat=True)))}")  # fmt: skip  # noqa: E501


if __name__ == "__main__":
    main()
