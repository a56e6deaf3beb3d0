"""The platform's export through ``import_bureau_hours`` in a child process, as
tests/core/test_import_memory.py runs the other imports: the largest file the limits admit is
checked, and a hostile one refused, within the same memory budget."""

import datetime
import subprocess
import sys

import pytest

from tests import hostile_files as hostile
from tests.core import test_import_memory as memory

HEADER = ("记录编号", "学校代码", "工号", "姓名", "培训项目", "培训日期", "学时")
SETUP = (
    memory.SETUP
    + """
from core.models import Role, RoleAssignment, User
office = User.objects.create(username="office")
RoleAssignment.objects.create(user=office, role=Role.TRAINING_OFFICE, school=school)
"""
)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    directory = tmp_path_factory.mktemp("bureaudb")
    db = directory / "template.sqlite3"
    subprocess.run(
        [sys.executable, "-c", SETUP],
        cwd=memory.ROOT,
        env=memory._env(db, directory),
        check=True,
        timeout=120,
    )
    return db


def test_the_largest_export_is_checked_within_the_memory_budget(database, tmp_path):
    day = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()
    rows = [[f"JX-{i:05d}", "S1", "A1", "王芳", f"研修第{i}讲", day, "2"] for i in range(5000)]
    path = hostile.rows_xlsx(tmp_path / "big.xlsx", rows, header=HEADER)
    report = memory.run_command(
        database, tmp_path, "import_bureau_hours", str(path), "--user", "office", "--dry-run"
    )
    assert report["code"] == 0, report["err"]
    assert "5000 new" in report["out"]
    assert report["maxrss_mb"] < memory.BUDGET_MB
    assert report["seconds"] < 30


def test_a_zip_bomb_is_refused_within_the_memory_budget(database, tmp_path):
    path = hostile.bomb_member(tmp_path / "bomb.xlsx", member="xl/theme/theme1.xml", megabytes=40)
    report = memory.run_command(
        database, tmp_path, "import_bureau_hours", str(path), "--user", "office"
    )
    assert report["code"] == 1
    assert memory.UNPACKS in report["err"]
    assert report["maxrss_mb"] < memory.BUDGET_MB
