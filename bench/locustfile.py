"""Load test: teachers logging records and staff browsing, through the real login form.

    make load          # seeds nothing: run `manage.py seed_demo` on DATABASE_URL first

or by hand against a running server on loopback:

    python bench/load_users.py
    locust -f bench/locustfile.py --headless --host http://127.0.0.1:8766 -u 50 -r 10 -t 2m

Of every eleven users six are teachers, who save a reading note as a draft and submit it, and
read My growth; four are the principal and the training office looking at the dashboard, the
backbone roster, the teacher list with filters, the verification queue, the duties grid and the
mentoring overview; one is the district office (`district`) reading its teacher list, duties
grid, mentoring overview and the district overview. Each simulated user logs in
once, with the CSRF token of the login form, and keeps its session. At the end it prints the
throughput, the 95th percentile and the number of errors."""

import datetime
import itertools
import random
import re
import threading
import time
import urllib.request

from locust import HttpUser, between, events, task
from locust.stats import StatsEntry

PASSWORD = "gugan2026"
# bench/load_users.py makes load01 … load20; `teacher` comes from seed_demo.
TEACHERS = ["teacher", *(f"load{n:02d}" for n in range(1, 21))]
STAFF = ["principal", "office"]
DISTRICT = ["district"]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RECORD_URL = re.compile(r"/records/(\d+)/$")

_lock = threading.Lock()
_teacher_logins = itertools.cycle(TEACHERS)
_staff_logins = itertools.cycle(STAFF)
_district_logins = itertools.cycle(DISTRICT)


def next_login(pool) -> str:
    with _lock:
        return next(pool)


class GuganUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)  # think time between two pages
    logins = None

    def on_start(self):
        self.username = next_login(self.logins)
        login = self.client.get("/login/", name="/login/")
        token = CSRF_INPUT.search(login.text)
        with self.client.post(
            "/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="/login/ (POST)",
            catch_response=True,
        ) as response:
            if response.url.rstrip("/").endswith("/login"):
                response.failure(f"login as {self.username} failed")

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def post(self, url: str, data: dict, *, name: str, referer: str = "", **kwargs):
        # The page the form was on: some views send the user back there.
        headers = {"X-CSRFToken": self.csrf(), "Referer": self.host + (referer or url)}
        return self.client.post(url, data=data, headers=headers, name=name, **kwargs)


class Teacher(GuganUser):
    weight = 6
    logins = _teacher_logins

    @task(3)
    def my_growth(self):
        self.client.get("/records/growth/", name="/records/growth/")

    @task(1)
    def home(self):
        self.client.get("/", name="/ (teacher)")

    @task(2)
    def log_and_submit_a_reading_note(self):
        self.client.get("/records/new/reading/", name="/records/new/reading/")
        n = random.randint(1, 10_000)
        with self.post(
            "/records/new/reading/",
            {
                "book": f"《给教师的建议》第{n}章",
                "date": datetime.date.today().strftime("%Y-%m"),
                "reflection": "读后感：课堂提问要留出等待时间，让每个学生都有思考的机会。" * 3,
                "save": "",
            },
            name="/records/new/reading/ (POST draft)",
            catch_response=True,
        ) as created:
            match = RECORD_URL.search(created.url or "")
            if match is None:
                created.failure("the draft was not saved")
                return
        # The record's status is checked after the run (docs/LOAD.md): drafts left = 0.
        detail = f"/records/{match.group(1)}/"
        self.post(f"{detail}submit/", {}, name="/records/[id]/submit/ (POST)", referer=detail)


class Staff(GuganUser):
    weight = 4
    logins = _staff_logins

    @task(2)
    def dashboard(self):
        self.client.get("/", name="/ (dashboard)")

    @task(2)
    def backbone_roster(self):
        self.client.get("/backbone/roster/", name="/backbone/roster/")

    @task(3)
    def teacher_list(self):
        filters = random.choice(
            [
                {},
                {"stage": "young_backbone"},
                {"title": "3", "education": "3"},
                {"stage": "adaptation", "status": "all"},
                {"q": "王"},
            ]
        )
        self.client.get("/teachers/", params=filters, name="/teachers/ (filtered)")

    @task(2)
    def verification_queue(self):
        self.client.get("/records/verification/", name="/records/verification/")

    @task(1)
    def duties_grid(self):
        self.client.get("/assessment/duties/", name="/assessment/duties/")

    @task(1)
    def mentoring_overview(self):
        self.client.get("/mentoring/overview/", name="/mentoring/overview/")


class DistrictOffice(GuganUser):
    """The district training office: every school of the district at once."""

    weight = 1
    logins = _district_logins

    @task(2)
    def dashboard(self):
        self.client.get("/", name="/ (district)")

    @task(3)
    def teacher_list(self):
        filters = random.choice([{}, {"stage": "young_backbone"}, {"q": "李"}])
        self.client.get("/teachers/", params=filters, name="/teachers/ (district)")

    @task(2)
    def duties_grid(self):
        self.client.get("/assessment/duties/", name="/assessment/duties/ (district)")

    @task(2)
    def mentoring_overview(self):
        self.client.get("/mentoring/overview/", name="/mentoring/overview/ (district)")

    @task(1)
    def district_overview(self):
        self.client.get("/assessment/district/", name="/assessment/district/")


@events.test_start.add_listener
def wait_for_server(environment, **kwargs):
    """`make load` starts the server just before locust: wait until it answers."""
    for _attempt in range(60):
        try:
            urllib.request.urlopen(f"{environment.host}/health/", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"no server at {environment.host}")


@events.quitting.add_listener
def summary(environment, **kwargs):
    """One line each for all requests and for the pages without the login (whose password
    hashing is deliberately slow and happens once per session)."""
    stats = environment.stats
    pages = StatsEntry(stats, "pages", "")
    for entry in stats.entries.values():
        if not entry.name.startswith("/login/"):
            pages.extend(entry)
    total = stats.total
    seconds = max(1, (total.last_request_timestamp or total.start_time) - total.start_time)
    print("\nLOAD SUMMARY")
    for label, entry in (("all requests", total), ("pages without login", pages)):
        print(
            f"  {label}: {entry.num_requests} requests in {seconds:.0f} s, "
            f"throughput {entry.num_requests / seconds:.1f} req/s, "
            f"p50 {entry.get_response_time_percentile(0.5):.0f} ms, "
            f"p95 {entry.get_response_time_percentile(0.95):.0f} ms, "
            f"errors {entry.num_failures}"
        )
