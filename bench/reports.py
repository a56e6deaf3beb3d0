"""Dossier rendering times, on a throwaway SQLite database built for the purpose.

    python bench/reports.py [--runs 20] [--batch 200] [--workers 1 2]

Builds a teacher with five school years of verified records and reports the median time of one
dossier over ``--runs`` runs (data gathering, template, WeasyPrint), WeasyPrint's own time for
the same HTML, and the time to print a batch of ``--batch`` dossiers (the ZIP handler's loop)
with 1 and 2 worker processes. Also the time to serve a reprint of unchanged data (fingerprint
lookup). Prints a table; copy the numbers into docs/BENCHMARKS.md."""

import argparse
import datetime
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_DB = Path(tempfile.gettempdir()) / "gugan-bench-reports.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{_DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")
os.environ.pop("REDIS_URL", None)

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
# WeasyPrint logs every layout step at INFO; printing them would be timed too.
logging.getLogger("weasyprint").setLevel(logging.WARNING)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import translation  # noqa: E402

YEARS = 5
PER_KIND = 4  # verified records of each kind per school year


def build(n_batch: int):
    from backbone.models import Designation, Tier
    from core.models import District, Role, RoleAssignment, School, User
    from records.models import Lecture, Observation, OpenClass, Paper, Training
    from teachers.models import Teacher

    district = District.objects.create(code="BENCH", name="基准区教育局")
    school = School.objects.create(district=district, code="BENCH01", name="基准实验小学")
    tier = Tier.objects.get(district=district, code="school")
    user = User.objects.create(username="bench-office")
    RoleAssignment.objects.create(user=user, role=Role.TRAINING_OFFICE, school=school)
    last = datetime.date.today().year - (0 if datetime.date.today().month >= 9 else 1)
    first = last - YEARS + 1

    def teacher_with_records(i: int, years: range) -> Teacher:
        teacher = Teacher.objects.create(
            school=school,
            staff_no=f"B{i:04d}",
            name=f"基准老师{i}",
            gender="F",
            career_start=datetime.date(2005, 9, 1),
            education=3,
            subject="语文",
        )
        Designation.objects.create(
            teacher=teacher,
            tier=tier,
            first_year=years[0],
            last_year=years[-1] + 1,
            designated_by=school.name,
            source="external",
        )
        for year in years:
            for k in range(PER_KIND):
                day = datetime.date(year, 10 + k % 3, 1 + k)
                common = {"teacher": teacher, "year": year, "date": day, "status": "verified"}
                OpenClass.objects.create(
                    **common,
                    class_kind="demonstration",
                    starts_at=datetime.datetime(year, 10, 1, 9, tzinfo=datetime.UTC),
                    place="录播教室",
                    subject="语文",
                    grade_class="四年级（2）班",
                    topic=f"《落花生》{k}",
                )
                Observation.objects.create(
                    **common, title=f"听课{k}", observed_name="赵老师", subject="语文"
                )
                Paper.objects.create(
                    **common,
                    result_kind="paper",
                    paper_title=f"论文{year}-{k}",
                    progress="published",
                )
                Lecture.objects.create(**common, topic=f"讲座{k}", audience="school")
                Training.objects.create(**common, course=f"校本培训{k}", hours=6, school_based=True)
        return teacher

    main = teacher_with_records(0, range(first, last + 1))
    batch = [teacher_with_records(i, range(last - 1, last + 1)) for i in range(1, n_batch + 1)]
    return user, main, batch


def _teacher(pk):
    from teachers.models import Teacher

    return Teacher.objects.select_related("school__district", "group").get(pk=pk)


def one_dossier(pk: int, language: str = "zh-hans") -> tuple[float, float, int]:
    """(total seconds, WeasyPrint seconds, pages) for one dossier."""
    from weasyprint import HTML

    from documents.dossier import dossier_data, dossier_html

    start = time.perf_counter()
    html = dossier_html(dossiers=[dossier_data(teacher=_teacher(pk))], language=language)
    wp_start = time.perf_counter()
    document = HTML(string=html).render()
    document.write_pdf()
    end = time.perf_counter()
    return end - start, end - wp_start, len(document.pages)


def _batch_worker(pks: list[int]) -> None:
    connection.close()  # a forked child must not share the parent's connection
    from core.pdf import html_to_pdf
    from documents.dossier import dossier_data, dossier_html

    for pk in pks:
        html_to_pdf(dossier_html(dossiers=[dossier_data(teacher=_teacher(pk))], language="zh-hans"))


def batch(pks: list[int], workers: int) -> float:
    connection.close()
    chunks = [pks[i::workers] for i in range(workers)]
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(_batch_worker, chunks)
    return time.perf_counter() - start


def reprint(user, teacher) -> float:
    from documents.dossier import dossier_fingerprint, teachers_for, with_data_stamps

    start = time.perf_counter()
    found = with_data_stamps(teachers_for(user)).get(pk=teacher.pk)
    dossier_fingerprint(teachers=[found], language="zh-hans")
    from core.jobs import job_reusable

    job_reusable(kind="teacher_dossier", fingerprint="x", requested_by=user)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    _DB.unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    translation.activate("zh-hans")
    user, main_teacher, batch_teachers = build(args.batch)
    one_dossier(main_teacher.pk)  # warm: imports, fonts, templates
    runs = [one_dossier(main_teacher.pk) for _ in range(args.runs)]
    total = statistics.median(r[0] for r in runs)
    weasy = statistics.median(r[1] for r in runs)
    pages = runs[0][2]
    rows = [
        (f"one dossier, {YEARS} school years, {pages} pages (median of {args.runs})", total),
        ("  of which WeasyPrint render + write", weasy),
        ("  of which data + template", total - weasy),
        ("reprint of unchanged data (fingerprint + lookup)", statistics.median(
            reprint(user, main_teacher) for _ in range(20)
        )),
    ]  # fmt: skip
    sample_pages = one_dossier(batch_teachers[0].pk)[2]
    pks = [t.pk for t in batch_teachers]
    for workers in args.workers:
        rows.append(
            (f"batch of {len(pks)} dossiers ({sample_pages} pages each), {workers} worker(s)",
             batch(pks, workers))
        )  # fmt: skip
    print(f"{platform.platform()} · Python {platform.python_version()} · {os.cpu_count()} CPUs")
    print(f"{'case':<72} {'seconds':>9}")
    for label, seconds in rows:
        print(f"{label:<72} {seconds:>9.3f}")
    print(
        f"dossier / WeasyPrint alone: {total / weasy:.2f}×; per page {1000 * total / pages:.0f} ms"
    )
    _DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
