"""A large, realistic dataset for benchmarks: `manage.py seed_bench --schools 200 --teachers 20000
--years 5`.

Districts of twenty schools each, every school with its teaching-research and grade groups and
a roster built like the demo roster (teachers.demo.RosterBuilder, scaled to the school's size);
school years with semesters and holidays; designations with their history (expired,
superseded by a promotion, revoked) and the school-level selection rounds they came from;
the reserve pool and targets; annual grades; mentoring pairings with their weekly
observations and guidance sessions; every kind of professional record over the school years,
with training hours around the 72/24 mark; open-class sign-ups and evaluations; duty reports;
assessment rounds (last year's posted, this year's being scored). No attachments.

Everything is written with bulk inserts, school by school. Records are multi-table children
of ``Record``, which ``bulk_create`` refuses, so the parent rows are bulk-created first (the
database returns their ids) and the child rows are inserted next with the parent pointer set.
The random generator has a fixed seed: the same arguments give the same data.

The rooms: ``constants`` (sizes and words), ``context`` (what the steps share), ``safety``
(refuse or wipe), ``bulk`` (bulk inserts of records), ``organisations``, ``logins``, ``school``
(one school, with its steps in ``school_designations``, ``school_records`` and
``school_mentoring``), ``rounds`` (assessment rounds) and ``run`` (the whole run).
"""

from .constants import BENCH_PREFIX, BENCH_SEED
from .context import Bench, BenchLogin
from .run import seed_bench, summary_rows
from .safety import existing_data, wipe

__all__ = [
    "BENCH_PREFIX",
    "BENCH_SEED",
    "Bench",
    "BenchLogin",
    "existing_data",
    "seed_bench",
    "summary_rows",
    "wipe",
]
