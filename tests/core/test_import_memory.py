"""Hostile files against both import commands, each in a child process whose peak memory and
time are measured: the import must refuse them within IMPORT_* limits, not take the server
down. Before the streaming reader, the giant shared string took 2.1 GB (1 GB string) and the
million bad rows ran for minutes.

The numbers are printed (pytest -s, or -rP) for the closing note of the issue."""

import json
import os
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests import hostile_files as hostile

ROOT = Path(__file__).resolve().parents[2]
BUDGET_MB = 300
TIMEOUT = 60
# The child may not map more than this: a regression fails with MemoryError, not a dead machine.
ADDRESS_SPACE = 3 << 30

# Runs one import command in English, prints what it wrote and its own peak memory.
CHILD = """
import io, json, sys, time
import django

def peak_mb():
    # VmHWM: this process's own peak (getrusage would include the parent's, kept over exec).
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024

django.setup()
from django.core.management import CommandError, call_command
from django.utils import translation
translation.activate("en")
out, err = io.StringIO(), io.StringIO()
start = time.monotonic()
try:
    call_command(*sys.argv[1:], stdout=out, stderr=err)
    code = 0
except CommandError as exc:
    err.write(str(exc))
    code = 1
print(json.dumps({
    "code": code,
    "seconds": time.monotonic() - start,
    "out": out.getvalue(),
    "err": err.getvalue(),
    "maxrss_mb": peak_mb(),
}))
"""

SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from core.models import District, School
from teachers.models import Education, Gender, Teacher
district = District.objects.create(code="D1", name="鼓楼区教育局")
school = School.objects.create(district=district, code="S1", name="实验小学", kind="primary")
Teacher.objects.create(
    school=school, staff_no="A1", name="王芳", gender=Gender.FEMALE,
    career_start="2008-09-01", education=Education.BACHELOR, subject="语文",
)
"""


def _env(db: Path, media: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{db}",
        "MEDIA_ROOT": str(media),
    }


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    """A migrated SQLite file with one school (S1) and one teacher, made once."""
    directory = tmp_path_factory.mktemp("importdb")
    db = directory / "template.sqlite3"
    subprocess.run(
        [sys.executable, "-c", SETUP],
        cwd=ROOT,
        env=_env(db, directory),
        check=True,
        timeout=120,
    )
    return db


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_command(database: Path, tmp_path: Path, *args) -> dict:
    db = tmp_path / "db.sqlite3"
    shutil.copy(database, db)
    start = time.monotonic()
    child = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        cwd=ROOT,
        env=_env(db, tmp_path),
        preexec_fn=_limit_memory,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    report = json.loads(child.stdout.strip().splitlines()[-1])
    report["wall"] = time.monotonic() - start
    print(
        f"\n{args[0]} {Path(args[1]).name}: peak {report['maxrss_mb']:.0f} MB, "
        f"import {report['seconds']:.2f} s, output {len(report['out']) + len(report['err'])} "
        "bytes"
    )
    return report


COMMANDS = {
    "import_roster": hostile.ROSTER_HEADER,
    "import_designations": hostile.DESIGNATION_HEADER,
}
DESIGNATION_ROW = ["A1", "区级", None, "2025"]


def _giant(path, header):
    row = None if header == hostile.ROSTER_HEADER else DESIGNATION_ROW
    # 300 MB unpacked in 300 KB; the same check refuses 3 GB in 3 MB.
    return hostile.giant_shared_string(path, megabytes=300, header=header, row=row)


def _million(path, header):
    row = None if header == hostile.ROSTER_HEADER else ["A1", "区级", "鼓楼区教育局", "1800"]
    return hostile.many_identical_rows(path, rows=1_048_000, header=header, row=row)


def _bomb(path, header):
    return hostile.bomb_member(path, member="xl/media/image1.png", megabytes=500)


def _theme_bomb(path, header):
    # openpyxl reads the theme part whole, even in read-only mode.
    return hostile.bomb_member(path, member="xl/theme/theme1.xml", megabytes=40)


def _lying(path, header):
    return hostile.lying_sizes(path, megabytes=200)


def _too_many_rows(path, header):
    row = None if header == hostile.ROSTER_HEADER else ["A1", "区级", "鼓楼区教育局", "2025"]
    return hostile.many_identical_rows(path, rows=5001, header=header, row=row)


def _wide_row(path, header):
    row = list(hostile.ROSTER_HEADER[: len(header)]) + ["x"] * 100_000
    return hostile.rows_xlsx(path, [row], header=header)


def _long_cell(path, header):
    row = ["A1", "A" * 1_000_000, "女", "2008-09-01", "本科", "语文"][: len(header)]
    return hostile.rows_xlsx(path, [row], header=header)


def _many_strings(path, header):
    rows = [[f"s{i}"] for i in range(300_000)]
    return hostile.rows_xlsx(path, rows, header=header)


UNPACKS = "unpacks to more data than one import may read (50 MB, at most 5,000 rows)"


def _empty_rows(path, header):
    # A million empty rows (18 MB): openpyxl parses a sheet without a stated size whole.
    return hostile.empty_rows(path, rows=1_000_000)


HOSTILE = {
    # name: (builder, what the user reads)
    "giant_shared_string": (_giant, UNPACKS),
    "million_bad_rows": (_million, UNPACKS),
    "zip_bomb_as_xlsx": (_bomb, UNPACKS),
    "theme_bomb": (_theme_bomb, UNPACKS),
    "lying_zip_directory": (_lying, "This is not a readable .xlsx file"),
    "too_many_rows": (_too_many_rows, "more than 5,000 rows, the limit of one import"),
    "row_wider_than_excel": (_wide_row, "larger than Excel allows"),
    "cell_longer_than_excel": (_long_cell, "larger than Excel allows"),
    "empty_rows": (_empty_rows, "Empty rows below the data count too"),
    "too_many_shared_strings": (_many_strings, "more than 200,000 different texts"),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_refused_within_the_memory_budget(database, tmp_path, command, name):
    builder, message = HOSTILE[name]
    path = builder(tmp_path / f"{name}.xlsx", COMMANDS[command])
    report = run_command(database, tmp_path, command, str(path), "--school", "S1")
    assert report["code"] == 1
    assert message in report["err"]
    assert "nothing was imported" not in report["err"]  # refused as a file, not row by row
    assert report["maxrss_mb"] < BUDGET_MB
    assert report["seconds"] < 10
    assert len(report["err"]) < 2000


@pytest.mark.parametrize("command", COMMANDS)
def test_five_thousand_bad_rows_list_two_hundred_and_count_them_all(database, tmp_path, command):
    row = None if command == "import_roster" else ["Z9", "区级", "鼓楼区教育局", "2025"]
    path = hostile.many_identical_rows(
        tmp_path / "bad.xlsx", rows=5000, header=COMMANDS[command], row=row
    )
    report = run_command(database, tmp_path, command, str(path), "--school", "S1")
    assert report["code"] == 1
    lines = report["err"].strip().splitlines()
    assert len(lines) == 201
    assert lines[0].startswith("row 2, column ")
    # A roster row has a bad gender, and its staff number repeats the first row's.
    total = "9,999" if command == "import_roster" else "5,000"
    assert lines[-1] == (
        f"{total} problems found, only the first 200 are listed; nothing was imported."
    )
    assert report["maxrss_mb"] < BUDGET_MB
    assert report["seconds"] < 20


def test_the_largest_valid_file_imports_within_the_memory_budget(database, tmp_path):
    rows = [
        [f"T{i:04d}", f"教师{i}", "女" if i % 2 else "男", "2008-09-01", "本科", "语文"]
        for i in range(5000)
    ]
    path = hostile.rows_xlsx(tmp_path / "big.xlsx", rows)
    report = run_command(database, tmp_path, "import_roster", str(path), "--school", "S1")
    assert report["code"] == 0, report["err"]
    assert "5000 created, 0 updated, 0 unchanged" in report["out"]
    assert report["maxrss_mb"] < BUDGET_MB
    assert report["seconds"] < 30


def test_the_largest_shared_strings_table_the_limits_admit_stays_within_budget(database, tmp_path):
    """160,000 texts of 250 characters (48 MB unpacked, under the 5 MB upload limit), which
    openpyxl loads whole, and a sheet of 5,001 rows."""
    rows = [["A1", "王芳", "女", "2008-09-01", "本科", "语文"]] * 5001
    unused = [f"{i:06d}" + "x" * 244 for i in range(160_000)]
    path = hostile.rows_xlsx(tmp_path / "strings.xlsx", rows, unused_strings=unused)
    assert path.stat().st_size < 5 * 1024 * 1024
    with zipfile.ZipFile(path) as archive:
        assert 40 << 20 < sum(i.file_size for i in archive.infolist()) < 50 << 20
    report = run_command(
        database, tmp_path, "import_roster", str(path), "--school", "S1", "--dry-run"
    )
    assert report["code"] == 1
    assert report["err"] == (
        "The file has more than 5,000 rows, the limit of one import. Split it into several files."
    )
    assert report["maxrss_mb"] < BUDGET_MB
