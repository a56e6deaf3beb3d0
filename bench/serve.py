"""`make bench`: the key pages through gunicorn, driven by wrk, as ratios to a realistic floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gugan_bench_x python bench/serve.py \
        [--duration 10] [--workers 2] [--write docs/BENCHMARKS.md] [--only floor,district]

Starts two gunicorns on loopback with config/gunicorn.py and DEBUG off: Gugan (production
settings, plain HTTP) and the floor project of bench/floor/ (a 50-row teacher list with a
django-filter form in a base layout, on the same table). Logs in the bench users through the
login form (adding a `city` login holding the district-office role of every district: the view of
all 20,000 teachers), then runs wrk on every page at concurrency 1 and 8 and prints p50/p95,
requests per second, the app's and PostgreSQL's CPU per request (from /proc of the gunicorn
workers and of the database's backends) and each page's p50 and p95 as a ratio to the floor's at
the same concurrency. Writes the table between the ``<!-- bench:served -->`` markers.

The database is written to (the `city` login, sessions): use a copy of the bench dataset."""

import argparse
import json
import os
import platform
import re
import secrets
import signal
import subprocess
import sys
import textwrap
import time
import urllib.parse
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
WRK = os.environ.get("WRK", "wrk")
PASSWORD = "gugan2026"
START, END = "<!-- bench:served -->", "<!-- /bench:served -->"
CLK_TCK = os.sysconf("SC_CLK_TCK")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH {\\"requests\\": %d, \\"duration_us\\": %d, \\"p50_us\\": %d, "
    .. "\\"p95_us\\": %d, \\"p99_us\\": %d, \\"status_errors\\": %d, \\"socket_errors\\": %d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def gugan_env(port: int, workers: int) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_hex(32),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
        GUNICORN_MAX_REQUESTS="0",  # keep the workers whose CPU is read
        # ... and their database backends: a connection renewed mid-run (after CONN_MAX_AGE)
        # takes the CPU it used with it.
        CONN_MAX_AGE="3600",
    )
    env.setdefault("CACHE_URL", env.get("REDIS_URL", "").replace("redis://", "rediscache://"))
    if not env["CACHE_URL"]:
        env.pop("CACHE_URL")
    return env


def start(app: str, env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [GUNICORN, "-c", str(ROOT / "config" / "gunicorn.py"), app],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=5)
            return process
        except requests.ConnectionError:
            time.sleep(0.3)
    stop(process)
    sys.exit(f"{app} did not start on port {port}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def cpu_seconds(pids) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLK_TCK


def postgres_backends(database: str) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        return [row[0] for row in cursor.fetchall()]


def login(base: str, username: str) -> str:
    """The Cookie header of a fresh session of `username`, through the login form."""
    session = requests.Session()
    page = session.get(f"{base}/login/")
    token = CSRF_INPUT.search(page.text)
    response = session.post(
        f"{base}/login/",
        data={"username": username, "password": PASSWORD,
              "csrfmiddlewaretoken": token.group(1) if token else ""},
        headers={"Referer": f"{base}/login/"},
        allow_redirects=False,
    )  # fmt: skip
    if response.status_code != 302:
        sys.exit(f"login as {username} failed ({response.status_code})")
    return "; ".join(f"{k}={v}" for k, v in session.cookies.items())


def ensure_city_login() -> str:
    """`city`: the district-office role on every district, i.e. all teachers of the dataset."""
    from django.contrib.auth.hashers import make_password

    from core.models import District, Role, RoleAssignment, User

    user, created = User.objects.get_or_create(
        username="city", defaults={"display_name": "市教育局师训处"}
    )
    if created or not user.has_usable_password():
        user.password = make_password(PASSWORD)
        user.save(update_fields=["password"])
    for district in District.objects.all():
        RoleAssignment.objects.get_or_create(
            user=user, role=Role.DISTRICT_OFFICE, district=district, school=None
        )
    return "city"


def pages():
    """(user, label, url): the key pages; user None is the floor."""
    from bench.pages import first_school, key_pages

    school = first_school()
    yield "floor", "floor: 50-row teacher list, django-filter, base layout", "/"
    yield "floor", "floor, filtered", "/?title=3&education=3"
    for user, label, url in key_pages(school):
        if user is None or "counted again" in label:
            continue
        yield user, label, url
    yield "city", "teacher list (city, 20,000)", "/teachers/"
    yield "city", "duties grid (city)", "/assessment/duties/"
    yield "city", "mentoring compliance (city)", "/mentoring/overview/"
    yield "city", "district overview (city)", "/assessment/district/"
    yield "city", "district dashboard (city home)", "/"


def run_wrk(url: str, cookie: str, connections: int, duration: int, lua: Path) -> dict:
    command = [WRK, f"-t{min(connections, 2)}", f"-c{connections}", f"-d{duration}s",
               "--timeout", "10s", "-s", str(lua), url]  # fmt: skip
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    return json.loads(line[6:])


def machine() -> str:
    cpu = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}"


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
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each app")
    parser.add_argument("--concurrency", default="1,8")
    parser.add_argument("--port", type=int, default=8870)
    parser.add_argument("--only", default="", help="comma-separated users to keep (and floor)")
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.db import connection

    database = connection.settings_dict["NAME"]
    ensure_city_login()
    page_list = list(pages())
    if args.only:
        keep = {"floor", *args.only.split(",")}
        page_list = [p for p in page_list if p[0] in keep]
    gugan_port, floor_port = args.port, args.port + 1
    genv = gugan_env(gugan_port, args.workers)
    fenv = dict(genv, DJANGO_SETTINGS_MODULE="bench.floor.settings",
                GUNICORN_BIND=f"127.0.0.1:{floor_port}")  # fmt: skip
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
                   cwd=ROOT, env=genv, check=True)  # fmt: skip
    load_before = os.getloadavg()
    gugan = start("config.wsgi:application", genv, gugan_port)
    floor = start("bench.floor.wsgi:application", fenv, floor_port)
    lua = Path("/tmp") / f"bench-wrk-{os.getpid()}.lua"
    lua.write_text(LUA)
    results = []
    try:
        gbase, fbase = f"http://127.0.0.1:{gugan_port}", f"http://127.0.0.1:{floor_port}"
        cookies = {u: login(gbase, u) for u in {p[0] for p in page_list} - {"floor"}}
        cookies["floor"] = ""
        levels = [int(c) for c in args.concurrency.split(",")]
        header = (f"{'page':52} {'user':9} {'c':>2} {'p50':>7} {'p95':>7} {'req/s':>7} "
                  f"{'app ms':>7} {'pg ms':>6} {'×p50':>5} {'×p95':>5} err")  # fmt: skip
        print(header)
        floor_at = {}
        for user, label, path in page_list:
            base = fbase if user == "floor" else gbase
            path = urllib.parse.quote(path, safe="/?&=%")  # wrk takes ASCII URLs only
            server = floor if user == "floor" else gugan
            check = requests.get(base + path, headers={"Cookie": cookies[user]},
                                 allow_redirects=False, timeout=60)  # fmt: skip
            if check.status_code != 200:
                print(f"{label}: {check.status_code}, skipped")
                continue
            workers = children(server.pid)
            for c in levels:
                run_wrk(base + path, cookies[user], c, 2, lua)  # warm-up
                backends = postgres_backends(database)
                app0, pg0 = cpu_seconds(workers), cpu_seconds(backends)
                r = run_wrk(base + path, cookies[user], c, args.duration, lua)
                app1, pg1 = cpu_seconds(workers), cpu_seconds(backends)
                n = max(r["requests"], 1)
                row = dict(
                    label=label, user=user, path=path, c=c,
                    p50=r["p50_us"] / 1000, p95=r["p95_us"] / 1000,
                    rps=r["requests"] / (r["duration_us"] / 1e6),
                    app_ms=(app1 - app0) * 1000 / n, pg_ms=(pg1 - pg0) * 1000 / n,
                    errors=r["status_errors"] + r["socket_errors"],
                )  # fmt: skip
                if user == "floor" and c not in floor_at:
                    floor_at[c] = row
                f = floor_at.get(c, row)
                row["x50"], row["x95"] = row["p50"] / f["p50"], row["p95"] / f["p95"]
                results.append(row)
                print(f"{label[:52]:52} {user:9} {c:2d} {row['p50']:7.1f} {row['p95']:7.1f} "
                      f"{row['rps']:7.1f} {row['app_ms']:7.1f} {row['pg_ms']:6.1f} "
                      f"{row['x50']:5.2f} {row['x95']:5.2f} {row['errors']}",
                      flush=True)  # fmt: skip
    finally:
        stop(gugan)
        stop(floor)
        lua.unlink(missing_ok=True)
    load_after = os.getloadavg()
    loads = (f"Load average {load_before[0]:.2f} before, {load_after[0]:.2f} after "
             f"(1 min); {os.cpu_count()} cores.")  # fmt: skip
    print(loads)
    if args.write:
        from teachers.models import Teacher

        lines = [
            f"## Key pages through gunicorn at {Teacher.objects.count():,} teachers — `make bench`",
            "",
            textwrap.fill(
                f"Gugan (production settings, DEBUG off) and the floor (bench/floor/: a "
                f"50-row teacher list with a django-filter form in a base layout, same table) "
                f"each under gunicorn with config/gunicorn.py, {args.workers} sync workers, "
                f"driven by wrk on the same machine for {args.duration} s per page and "
                f"concurrency after a 2 s warm-up. × floor: the page's p50 (p95) over the "
                f"floor's p50 (p95) at the same concurrency. CPU per request: the gunicorn "
                f"workers' and the database backends' user+system time over the requests "
                f"served. district: one district office (2,000 teachers); city: the "
                f"district-office role on all districts (every teacher). Aim: ≤ 2× (≤ 4× "
                f"for city).",
                width=96,
            ),
            "",
            textwrap.fill(f"Machine: {machine()}. {loads}", width=96),
            "",
            "| page | user | conc. | p50 ms | p95 ms | req/s | app CPU ms/req | PG CPU ms/req "
            "| p50 × floor | p95 × floor | errors |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            *[
                f"| {r['label']} | {r['user']} | {r['c']} | {r['p50']:.1f} | {r['p95']:.1f} | "
                f"{r['rps']:.0f} | {r['app_ms']:.1f} | {r['pg_ms']:.1f} | {r['x50']:.2f}× | "
                f"{r['x95']:.2f}× | {r['errors']} |"
                for r in results
            ],
        ]
        write_section(args.write, "\n".join(lines))
        print(f"Wrote the table into {args.write}.")
    if results and all(r["errors"] == 0 for r in results):
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
