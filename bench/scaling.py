"""From measured costs to machines: the peak hour of a district, a city and a province.

    python bench/scaling.py --node-rps 120 --app-ms 11 --pg-ms 3 --login-ms 60 \
        --pdf-seconds 0.9 --write docs/SCALING.md

Every input is a measurement from one `make bench` / `make load-steps` run (docs/BENCHMARKS.md,
docs/LOAD.md); the assumptions about how teachers use Gugan at the peak are named below and can
be changed by flag. Prints (or writes between markers) one table per deployment size."""

import argparse
import math
from pathlib import Path

START, END = "<!-- scaling:table -->", "<!-- /scaling:table -->"
SIZES = [("district", 20_000, 100), ("city", 100_000, 500), ("province", 500_000, 5_000)]


def plan(args, teachers: int, schools: int) -> dict:
    active = teachers * args.active_share
    rps = active * args.requests_per_hour / 3600 * args.burst
    logins = active / 3600 * args.burst
    cpu_cores = rps * (args.app_ms / 1000) + logins * (args.login_ms / 1000)
    # Enough nodes for the requests (as measured under mixed load) and for the login hashing.
    nodes = max(
        1,
        math.ceil(rps / (args.node_rps * args.headroom)),
        math.ceil(cpu_cores / (2 * args.headroom)),
    )
    pg_cores = rps * args.pg_ms / 1000
    connections = nodes * args.workers_per_node
    pdf_hours = teachers * args.pdfs_per_teacher * args.pdf_seconds / 3600
    size_gib = teachers * args.db_kib_per_teacher / 1024 / 1024
    return {
        "requests/s at the peak": f"{rps:,.0f}",
        "logins/s at the peak": f"{logins:,.1f}",
        "app CPU cores busy": f"{cpu_cores:,.1f}",
        f"2-core web nodes (at {args.headroom:.0%} of measured capacity)": f"{nodes}",
        "PostgreSQL CPU cores busy": f"{pg_cores:,.1f}",
        "database connections (persistent)": f"{connections}",
        "database size (five school years)": f"{size_gib:,.1f} GiB",
        "PDF worker-hours for a year-end print run": f"{pdf_hours:,.0f}",
        "PDF workers to print it overnight (8 h)": f"{math.ceil(pdf_hours / 8)}",
    }


def table(args) -> str:
    plans = [(name, teachers, plan(args, teachers, schools)) for name, teachers, schools in SIZES]
    head = "| | " + " | ".join(f"{name} ({teachers:,} teachers)" for name, teachers, _ in plans)
    lines = [head + " |", "|---|" + "---:|" * len(plans)]
    for key in plans[0][2]:
        lines.append(f"| {key} | " + " | ".join(p[key] for _, _, p in plans) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--node-rps", type=float, required=True, help="req/s of one 2-core node at p95 300 ms")
    add("--app-ms", type=float, required=True, help="app CPU ms per request (mixed load)")
    add("--pg-ms", type=float, required=True, help="PostgreSQL CPU ms per request (mixed load)")
    add("--login-ms", type=float, required=True, help="CPU ms per password login")
    add("--pdf-seconds", type=float, required=True, help="seconds per dossier in one worker")
    add("--active-share", type=float, default=0.4, help="teachers active in the peak hour")
    add("--requests-per-hour", type=float, default=30, help="pages and posts per active teacher")
    add("--burst", type=float, default=3.0, help="peak minute over the peak hour's average")
    add("--headroom", type=float, default=0.7, help="share of measured capacity to plan for")
    add("--workers-per-node", type=int, default=5)
    add("--pdfs-per-teacher", type=float, default=2, help="dossier and evidence pack")
    add("--db-kib-per-teacher", type=float, required=True, help="measured, five school years")
    add("--write", type=Path)
    args = parser.parse_args()
    text = table(args)
    print(text)
    if args.write:
        doc = args.write.read_text()
        before, rest = doc.split(START, 1)
        _, after = rest.split(END, 1)
        args.write.write_text(f"{before}{START}\n{text}\n{END}{after}")


if __name__ == "__main__":
    main()
