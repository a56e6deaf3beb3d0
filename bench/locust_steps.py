"""Capacity: the load scenario of bench/locustfile.py, raised step by step until the pages' p95
passes a limit (`make load-steps`).

Each step adds users (the ones already there stay logged in), lets the new ones log in for
LOAD_SETTLE_SECONDS, then measures the rest of the step: the pages' throughput, p50 and p95
(the login form and its POST left out, their password hashing is measured on its own), the
errors, and the CPU the app server (LOAD_SERVER_PID and its workers) and PostgreSQL used per
request in that window. The run stops after the first step whose p95 passes LOAD_LIMIT_MS;
the capacity is the throughput of the last step within it.

    LOAD_STEPS=25,50,100,200,400  LOAD_STEP_SECONDS=60  LOAD_SETTLE_SECONDS=15  LOAD_LIMIT_MS=300
"""

import os
import statistics
from dataclasses import dataclass, field

import psutil
from locust import LoadTestShape, events
from locustfile import DistrictOffice, Staff, Teacher  # noqa: F401 (the scenario's users)

STEPS = [int(n) for n in os.environ.get("LOAD_STEPS", "25,50,100,200,400").split(",")]
STEP_SECONDS = float(os.environ.get("LOAD_STEP_SECONDS", "60"))
SETTLE_SECONDS = float(os.environ.get("LOAD_SETTLE_SECONDS", "15"))
LIMIT_MS = float(os.environ.get("LOAD_LIMIT_MS", "300"))
SERVER_PID = int(os.environ.get("LOAD_SERVER_PID", "0") or 0)


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds used so far by the app server's processes and by PostgreSQL's."""
    app = db = 0.0
    if SERVER_PID:
        try:
            master = psutil.Process(SERVER_PID)
            for process in [master, *master.children(recursive=True)]:
                times = process.cpu_times()
                app += times.user + times.system
        except psutil.Error:
            pass
    for process in psutil.process_iter(["name"]):
        if (process.info["name"] or "").startswith("postgres"):
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            db += times.user + times.system
    return app, db


def percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


@dataclass
class Window:
    users: int
    started: float
    cpu_start: tuple[float, float]
    ended: float = 0.0
    cpu_end: tuple[float, float] = (0.0, 0.0)
    times: list[float] = field(default_factory=list)
    errors: int = 0
    logins: int = 0

    @property
    def seconds(self) -> float:
        return max(self.ended - self.started, 1e-9)

    @property
    def throughput(self) -> float:
        return len(self.times) / self.seconds

    @property
    def p95(self) -> float:
        return percentile(self.times, 0.95)

    def cpu_ms_per_request(self, which: int) -> float:
        used = self.cpu_end[which] - self.cpu_start[which]
        return 1000 * used / max(len(self.times) + self.logins, 1)


WINDOWS: list[Window] = []
_open: dict[str, Window | None] = {"window": None}


@events.request.add_listener
def on_request(name, response_time, exception, **kwargs):
    window = _open["window"]
    if window is None:
        return
    if name.startswith("/login/"):
        window.logins += name.endswith("(POST)")
        return
    window.times.append(response_time)
    if exception:
        window.errors += 1


class Steps(LoadTestShape):
    """Users by step; measure after each step has settled; stop past the limit."""

    def __init__(self):
        super().__init__()
        self.step = -1
        self.stop = False

    def _close(self, now: float) -> None:
        window = _open["window"]
        if window is None:
            return
        window.ended, window.cpu_end = now, cpu_seconds()
        _open["window"] = None
        WINDOWS.append(window)
        self.stop = window.p95 > LIMIT_MS

    def tick(self):
        now = self.get_run_time()
        step = int(now // STEP_SECONDS)
        if step != self.step:
            self._close(now)
            self.step = step
        if self.stop or step >= len(STEPS):
            return None
        users = STEPS[step]
        if _open["window"] is None and now - step * STEP_SECONDS >= SETTLE_SECONDS:
            _open["window"] = Window(users=users, started=now, cpu_start=cpu_seconds())
        before = STEPS[step - 1] if step else 0
        return users, max(1.0, (users - before) / max(SETTLE_SECONDS / 2, 1.0))


@events.quitting.add_listener
def steps_summary(environment, **kwargs):
    print("\nLOAD STEPS (pages without the login; CPU per request in the measured window)")
    print(
        "| users | seconds | requests | req/s | p50 ms | p95 ms | errors | app CPU ms | db CPU ms |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for w in WINDOWS:
        print(
            f"| {w.users} | {w.seconds:.0f} | {len(w.times)} | {w.throughput:.1f} | "
            f"{percentile(w.times, 0.5):.0f} | {w.p95:.0f} | {w.errors} | "
            f"{w.cpu_ms_per_request(0):.1f} | {w.cpu_ms_per_request(1):.1f} |"
        )
    within = [w for w in WINDOWS if w.p95 <= LIMIT_MS]
    if within:
        best = max(within, key=lambda w: w.throughput)
        print(
            f"CAPACITY {best.throughput:.1f} req/s at {best.users} users "
            f"(p95 {best.p95:.0f} ms ≤ {LIMIT_MS:.0f} ms), load average "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
    else:
        print(f"CAPACITY none: the first step's p95 passed {LIMIT_MS:.0f} ms")
    if any(w.errors for w in WINDOWS):
        environment.process_exit_code = 1
