"""Server time and SQL queries of the key pages, measured in-process with Django's test client;
plus the time of the district's yearly report and of one teacher's dossier.

    DATABASE_URL=postgres://.../gugan_bench python bench/pages.py [--repeat 20] [--all]
        [--write docs/BENCHMARKS.md]

Uses whatever data the database holds: the large dataset of `manage.py seed_bench` (what
`make bench` measures) or the demo data of `manage.py seed_demo`; the logins are the same
(principal, office, committee, teacher, district). Prints p50/p95 server time, the number of
queries and the ratio to the floor (a trivial view: the health check) for each page, as the
user each page is for. ``--write`` puts the markdown table into the file's benchmark section
(between the ``<!-- bench:pages -->`` markers), with the machine it ran on."""

import argparse
import os
import platform
import re
import statistics
import sys
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("axes").setLevel(logging.WARNING)

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from assessment.models import AssessmentRound  # noqa: E402
from backbone.models import SelectionRound  # noqa: E402
from core.models import District, Role, RoleAssignment, User, school_year_start  # noqa: E402
from mentoring.models import Pairing  # noqa: E402
from records.models import Record  # noqa: E402
from teachers.models import Teacher  # noqa: E402

START, END = "<!-- bench:pages -->", "<!-- /bench:pages -->"
FLOOR = "floor: health check (trivial view)"


def first_school():
    assignment = (
        RoleAssignment.objects.filter(user__username="principal", role=Role.PRINCIPAL)
        .select_related("school__district")
        .first()
    )
    if assignment is None:
        sys.exit("No `principal` login: run `manage.py seed_bench` (or seed_demo) first.")
    return assignment.school


def key_pages(school):
    """(user, label, url): the pages the aim (under 200 ms p95, under 20 queries) is for."""
    teacher = Teacher.objects.filter(user__username="teacher").first() or (
        Teacher.objects.filter(school=school).order_by("pk").first()
    )
    round = (
        AssessmentRound.objects.filter(school=school)
        .order_by("-year", "-created_at")
        .only("pk")
        .first()
    )
    yield None, FLOOR, "/health/"
    yield "principal", "school dashboard (home)", "/"
    yield "principal", "backbone roster", "/backbone/roster/"
    yield "principal", "teacher list", "/teachers/"
    yield "principal", "teacher list, filtered", "/teachers/?stage=young_backbone&title=3"
    yield "district", "teacher list, filtered (district)", "/teachers/?q=王&education=3"
    yield "principal", "teacher detail", f"/teachers/{teacher.pk}/"
    yield "teacher", "My growth", "/records/growth/"
    yield "office", "verification queue", "/records/verification/"
    yield "office", "duties grid", "/assessment/duties/"
    yield "office", "mentoring compliance", "/mentoring/overview/"
    if round:
        yield "office", "assessment round", f"/assessment/rounds/{round.pk}/"
    yield "district", "duties grid (district)", "/assessment/duties/"
    yield "district", "duties grid (district), counted again", "/assessment/duties/?refresh=1"
    yield "district", "district dashboard (home)", "/"
    yield "district", "district overview", "/assessment/district/"
    # The overview keeps its numbers a few minutes; this is the count behind them.
    yield "district", "district overview, counted again", "/assessment/district/?refresh=1"


def other_pages(school):
    selection = SelectionRound.objects.filter(school=school).order_by("-pk").first()
    pairing = Pairing.objects.filter(school=school).order_by("pk").first()
    yield "principal", "eligibility (school tier)", "/backbone/eligibility/"
    yield "principal", "targets", "/backbone/targets/"
    yield "principal", "selection rounds", "/backbone/rounds/"
    if selection:
        yield "principal", "selection round detail", f"/backbone/rounds/{selection.pk}/"
    yield "office", "open-class calendar", "/records/calendar/"
    if pairing:
        yield "office", "pairing detail", f"/mentoring/{pairing.pk}/"
    yield "teacher", "teacher home", "/"


def measure(client, url, repeat):
    client.get(url)  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    times.sort()
    p95 = times[max(0, -(-len(times) * 95 // 100) - 1)]  # nearest rank
    return statistics.median(times), p95, len(ctx.captured_queries)


def documents(school, runs: int):
    """(label, seconds): the district's yearly report (data, PDF) and one dossier."""
    from core.pdf import html_to_pdf
    from documents.dossier import dossier_data, dossier_html
    from documents.reports import render_yearly_pdf
    from documents.yearly import yearly_report

    year = school_year_start(timezone.localdate()) - 1
    district = school.district
    language = "zh-hans"
    translation.activate(language)
    rows = []

    def timed(fn):
        start = time.perf_counter()
        result = fn()
        return time.perf_counter() - start, result

    render_yearly_pdf(yearly_report(year=year, district=district), language=language)  # warm
    data, pdf = [], []
    for _ in range(runs):
        seconds, report = timed(lambda: yearly_report(year=year, district=district))
        data.append(seconds)
        pdf.append(timed(lambda r=report: render_yearly_pdf(r, language=language))[0])
    n_schools = len(report.schools)
    rows.append((f"district yearly report {year}–{year + 1}, {n_schools} schools: data", data))
    rows.append(("  … and its PDF", pdf))
    teacher = Teacher.objects.select_related("school__district", "group").get(
        pk=(Teacher.objects.filter(user__username="teacher").first() or school.teachers.first()).pk
    )
    gather, render = [], []
    for _ in range(runs + 1):
        seconds, html = timed(
            lambda: dossier_html(dossiers=[dossier_data(teacher=teacher)], language=language)
        )
        gather.append(seconds)
        render.append(timed(lambda h=html: html_to_pdf(h))[0])
    gather, render = gather[1:], render[1:]  # the first run warms fonts and templates
    records = Record.objects.filter(teacher=teacher).count()
    rows.append((f"one dossier ({records} records): data + template", gather))
    rows.append(("  … and its PDF", render))
    return [(label, statistics.median(values)) for label, values in rows]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().split()[1]
        ram = f"{int(mem) / 1024 / 1024:.0f} GB RAM"
    except OSError:
        ram = "RAM unknown"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT 1")
        db = cursor.fetchone()[0]
    db = db.split(" on ")[0] if connection.vendor == "postgresql" else connection.vendor
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0
    return (
        f"{os.cpu_count()} cores ({cpu}), {ram}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, Django {django.get_version()}, {db}. "
        f"Load average {load:.1f} when the run started: other processes shared the cores."
    )


def dataset() -> str:
    teachers = Teacher.objects.count()
    schools = Teacher.objects.values("school").distinct().count()
    districts = District.objects.count()
    records = Record.objects.count()
    pairings = Pairing.objects.count()
    return (
        f"{districts} districts, {schools} schools, {teachers:,} teachers, {records:,} records, "
        f"{pairings:,} pairings"
    )


def table(rows, floor_p50) -> str:
    lines = [
        "| page | user | p50 ms | p95 ms | queries | p50 / floor |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for label, user, p50, p95, queries in rows:
        lines.append(
            f"| {label} | {user or 'anonymous'} | {p50:.1f} | {p95:.1f} | {queries} | "
            f"{p50 / floor_p50:.1f}× |"
        )
    return "\n".join(lines)


def write_section(path: Path, text: str) -> None:
    old = path.read_text() if path.exists() else "# Benchmarks\n"
    block = f"{START}\n{text}\n{END}"
    if START in old:
        new = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda m: block, old, flags=re.S)
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(new)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--all", action="store_true", help="also pages beyond the key pages")
    parser.add_argument("--documents", type=int, default=3, help="runs per document (0: none)")
    parser.add_argument("--write", type=Path, help="markdown file to put the table in")
    args = parser.parse_args()
    school = first_school()
    where = machine()
    print(dataset())
    pages = list(key_pages(school))
    if args.all:
        pages += list(other_pages(school))
    clients, rows = {}, []
    print(f"{'page':36} {'user':10} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'× floor':>8}")
    floor = None
    for username, label, url in pages:
        if username not in clients:
            clients[username] = Client()
            if username:
                clients[username].force_login(User.objects.get(username=username))
        p50, p95, queries = measure(clients[username], url, args.repeat)
        floor = floor or p50
        rows.append((label, username, p50, p95, queries))
        print(
            f"{label:36} {username or '-':10} {p50:8.1f} {p95:8.1f} {queries:8d} {p50 / floor:8.1f}"
        )
    docs = documents(school, args.documents) if args.documents else []
    for label, seconds in docs:
        print(f"{label:66} {seconds:8.2f} s")
    if args.write:
        teachers = Teacher.objects.count()
        text = "\n".join(
            [
                f"## Key pages at {teachers:,} teachers — `make bench`",
                "",
                textwrap.fill(
                    f"Data: {dataset()} (`manage.py seed_bench`). Pages as the first school's "
                    "logins (the district login sees its district: 20 schools), Django test "
                    f"client in-process (server time, no network), {args.repeat} requests per "
                    "page after a warm-up, DEBUG off; p95 is the nearest rank. Floor: the "
                    "health-check view, which runs one `SELECT 1`.",
                    width=96,
                ),
                "",
                textwrap.fill(f"Machine: {where}", width=96),
                "",
                table(rows, rows[0][2]),
                "",
                "| document | seconds (median) |",
                "|---|---:|",
                *[f"| {label.strip()} | {seconds:.2f} |" for label, seconds in docs],
            ]
        )
        write_section(args.write, text)
        print(f"Wrote the table into {args.write}.")


if __name__ == "__main__":
    main()
