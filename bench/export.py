"""The complete data export (数据导出) of one district, timed: wall and CPU seconds, peak memory,
rows, and the tables that take longest.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gugan_bench python bench/export.py \
        [--district CODE] [--top 8]

Runs the same writer as the job (dataexport.writer.export_zip) as the district office of the
district, into a temporary file that is removed afterwards. Nothing is written to the database."""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--district", help="district code (default: the first)")
    parser.add_argument("--top", type=int, default=8, help="how many of the slowest tables")
    args = parser.parse_args()
    import django

    django.setup()
    from django.utils import translation

    from core.models import District, Role, RoleAssignment
    from dataexport import writer
    from dataexport.targets import resolve_target
    from teachers.models import Teacher

    districts = District.objects.order_by("code")
    district = districts.get(code=args.district) if args.district else districts.first()
    office = (
        RoleAssignment.objects.filter(role=Role.DISTRICT_OFFICE, district=district)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if office is None:
        sys.exit(f"{district} has no district office login")
    translation.activate("zh-hans")
    target = resolve_target(office.user, {"district": district.pk})
    teachers = Teacher.objects.filter(school_id__in=target.school_ids).count()

    timings = []
    original = writer.write_table

    def timed(archive, workbook, spec, table, **kwargs):
        started = time.perf_counter()
        info = original(archive, workbook, spec, table, **kwargs)
        timings.append((time.perf_counter() - started, spec.name, info["rows"]))
        return info

    writer.write_table = timed
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "export.zip"
        wall0, cpu0 = time.perf_counter(), time.process_time()
        manifest = writer.export_zip(target, out)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        size = out.stat().st_size
    rows = sum(t["rows"] for t in manifest["tables"])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    files, mib = manifest["files"]["count"], size / 2**20
    print(f"{district.name}: {teachers:,} teachers, {len(manifest['tables'])} tables, "
          f"{rows:,} rows, {files} files, ZIP {mib:.1f} MiB")  # fmt: skip
    per_row = wall / max(rows, 1) * 1e6
    print(f"wall {wall:.1f} s, CPU {cpu:.1f} s (this process; PostgreSQL apart), "
          f"peak memory {peak:.0f} MiB, {per_row:.1f} µs a row")  # fmt: skip
    print(f"load average {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    for seconds, name, n in sorted(timings, reverse=True)[: args.top]:
        print(f"  {name:32} {n:9,} rows {seconds:6.1f} s")


if __name__ == "__main__":
    main()
