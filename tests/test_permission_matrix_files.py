"""The permission matrix of generated files: for every kind of job, every user of a world with
several-role users (in one district and across districts) requests every file they may, and
every user who may download a finished file reads it: the teachers in it must be teachers that
downloader may see on the pages, and a secret committee score must be in it only if that
downloader may see it on the round page.

A table lists every job kind (``FILES`` or ``NO_FILE``): a new kind fails
``test_every_job_kind_is_in_the_table`` until someone decides how its file is checked. This
completes tests/test_permission_matrix.py (pages and forms) for what leaves the site as a file.
"""

import datetime
import io
import re
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from backbone.models import Candidate, SelectionRound
from backbone.selectors.rounds import can_see_scores
from contests.models import Contest
from contests.services.library import item_select, item_share
from core import jobs
from core.job_files import owner_choices
from core.models import Job, Role, RoleAssignment, school_year_start
from core.selectors import job_list
from dataexport.targets import export_choices
from documents.views.yearly import default_year
from documents.views.yearly import owner_choices as yearly_owner_choices
from mentoring.models import Pairing
from records.models import Paper
from scoring.models import Mark, Sheet
from scoring.services.panels import panel_reveal
from teachers.models import Teacher
from tests.assessment.test_round_views import make_round, posted, score
from tests.contests.conftest import published_contest
from tests.factories import (
    DesignationFactory,
    DistrictFactory,
    SchoolFactory,
    TeacherFactory,
    tier,
    user_with_role,
)
from tests.training.conftest import make_programme
from training.certificates import certificates_issue
from training.models import Enrolment, Programme

SECRET = "87.65"  # a committee score while scoring runs, and the weighted score from it


@dataclass
class World:
    schools: dict  # "A", "B" (district 1), "C" (district 2)
    users: dict
    round: SelectionRound
    assessment_round: object


def _pairing(school, code):
    start = timezone.localdate() - datetime.timedelta(days=30)
    return Pairing.objects.create(
        school=school,
        mentor=TeacherFactory(school=school, staff_no=f"M{code}", name=f"{code}师傅"),
        apprentice=Teacher.objects.get(staff_no=f"T{code}"),
        origin=Pairing.Origin.SCHOOL,
        status=Pairing.Status.ACTIVE,
        start_date=start,
        end_date=start + datetime.timedelta(days=364),
        goals="站稳讲台",
        mentor_duties="每周听课两节",
        apprentice_duties="每周听课一节",
    )


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    one, two = DistrictFactory(code="D1", name="一区"), DistrictFactory(code="D2", name="二区")
    schools = {
        "A": SchoolFactory(district=one, code="SA", name="甲校"),
        "B": SchoolFactory(district=one, code="SB", name="乙校"),
        "C": SchoolFactory(district=two, code="SC", name="丙校"),
    }
    for code, school in schools.items():
        teacher = TeacherFactory(school=school, staff_no=f"T{code}", name=f"{code}老师")
        DesignationFactory(teacher=teacher, first_year=2025, last_year=2030)
        _pairing(school, code)
    a, b, c = schools["A"], schools["B"], schools["C"]
    users = {
        "principal": user_with_role(Role.PRINCIPAL, school=a, username="principal"),
        "office": user_with_role(Role.TRAINING_OFFICE, school=a, username="office"),
        "committee": user_with_role(Role.COMMITTEE, school=a, username="committee"),
        "district": user_with_role(Role.DISTRICT_OFFICE, district=one, username="district"),
        "teacher": user_with_role(Role.TEACHER, school=a, username="teacher"),
        # several roles: in one district, and across districts
        "principal_a_committee_b": user_with_role(Role.PRINCIPAL, school=a, username="ab"),
        "principal_a_committee_c": user_with_role(Role.PRINCIPAL, school=a, username="ac"),
        "district_1_committee_c": user_with_role(Role.DISTRICT_OFFICE, district=one, username="dc"),
        "principal_c": user_with_role(Role.PRINCIPAL, school=c, username="principal_c"),
    }
    Teacher.objects.filter(staff_no="TA").update(user=users["teacher"])
    RoleAssignment.objects.create(
        user=users["principal_a_committee_b"], role=Role.COMMITTEE, school=b
    )
    for name in ("principal_a_committee_c", "district_1_committee_c"):
        RoleAssignment.objects.create(user=users[name], role=Role.COMMITTEE, school=c)
    # A selection round at A still being scored: the committee member submitted, the principal
    # (also on the committee) has not.
    round = SelectionRound.objects.create(
        school=a, tier=tier(one), title="骨干评选", year=2025, term_years=2, quota=1,
        apply_from="2025-09-01", apply_until="2025-09-30", status=SelectionRound.Status.SCORING,
    )  # fmt: skip
    round.committee.add(users["principal"], users["committee"])
    criterion = round.criteria.create(name="课堂教学", weight=100)
    candidate = Candidate.objects.create(
        round=round, teacher=Teacher.objects.get(staff_no="TA"), source="applied",
        score=SECRET, rank=1,
    )  # fmt: skip
    sheet = Sheet.objects.create(
        panel=round.panel, member=users["committee"], submitted_at=timezone.now()
    )
    Mark.objects.create(sheet=sheet, entrant=candidate.entrant, item=criterion, value=SECRET)
    # A posted assessment round at A, for the result sheets.
    assessment_round = make_round(a, users["principal"], [users["committee"]], n=1)
    score(assessment_round, users["committee"], 90)
    posted(assessment_round, users["principal"])
    # Training-needs surveys: the district's (answered at A and B) and C's own.
    from training.models import NeedsQuestion, NeedsSurvey
    from training.needs.services import survey_answer

    for owner in ({"district": one}, {"district": two, "school": c}):
        survey = NeedsSurvey.objects.create(year=2025, title="研训需求调查", **owner)
        NeedsQuestion.objects.bulk_create(NeedsQuestion.defaults_for(survey=survey))
    topics = NeedsQuestion.objects.get(survey__school=None, key="topics")
    for code in "AB":
        teacher = Teacher.objects.get(staff_no=f"T{code}")
        survey_answer(survey=topics.survey, teacher=teacher, answers=[(topics, 0, "")])
    # Training certificates: a district programme with trainees of A and B, a school one at C.
    for programme, codes in (
        (
            make_programme(None, district=one, title="一区骨干教师培训班", kind="backbone_class"),
            "AB",
        ),
        (make_programme(c, title="丙校校本培训"), "C"),
    ):
        for code in codes:
            Enrolment.objects.create(
                programme=programme, teacher=Teacher.objects.get(staff_no=f"T{code}"),
                origin="named",
            )  # fmt: skip
        organiser = users["district"] if programme.is_district else users["principal_c"]
        certificates_issue(
            programme=programme,
            teachers=Teacher.objects.filter(staff_no__in=[f"T{code}" for code in codes]),
            by=organiser,
        )  # fmt: skip
    # Competitions, published: a district one with entries of A and B, a school one at C.
    published_contest(
        users["district"], judge=users["district"], district=one, title="一区赛课",
        teachers=Teacher.objects.filter(staff_no__in=["TA", "TB"]).order_by("staff_no"),
    )  # fmt: skip
    published_contest(
        users["principal_c"], judge=users["principal_c"], school=c, title="丙校赛课",
        teachers=Teacher.objects.filter(staff_no="TC"),
    )  # fmt: skip
    # The shared library: A's teacher's case, chosen for A's collection of the year.
    case = Paper.objects.create(
        teacher=Teacher.objects.get(staff_no="TA"), date=timezone.localdate(), status="verified",
        year=school_year_start(timezone.localdate()), result_kind="case", paper_title="案例",
    )  # fmt: skip
    item_select(
        item=item_share(record=case, reach="school", by=users["teacher"]),
        selected=True, by=users["principal"],
    )  # fmt: skip
    _allowances(schools, users)
    return World(schools=schools, users=users, round=round, assessment_round=assessment_round)


def _allowances(schools, users):
    """Allowance rates in both districts (the designations, recorded from certificates, are
    paid from the start of their term: every month's sheet lists them) and a commendation at
    each school."""
    from recognition.models import Rate
    from recognition.services import rate_set, reward_record

    for school in schools.values():
        rate_set(district=school.district, kind=Rate.Kind.ALLOWANCE, tier=tier(school.district),
                 amount=20, valid_from=datetime.date(2025, 9, 1), by=None)  # fmt: skip
        teacher = Teacher.objects.get(school=school, staff_no__startswith="T")
        reward_record(school=school, teacher=teacher, kind="commendation",
                      title="优秀骨干教师", awarded_on=timezone.localdate(), by=None)  # fmt: skip


# -- the table of job kinds ------------------------------------------------------------------------

Requests = Callable[[World, object], list[tuple[str, dict]]]


def _list_export(url: str) -> Requests:
    def requests(world, user):
        return [(reverse(url), {"query": "", "owner": v}) for v, _label in owner_choices(user)]

    return requests


def _data_export(world, user):
    return [(reverse("data_export"), {"owner": v}) for v, _label in export_choices(user)]


def _dossier(world, user):
    teachers = Teacher.objects.filter(staff_no__in=["TA", "TC"])
    return [(reverse("documents:dossier", args=[t.pk]), {}) for t in teachers]


def _handbook(world, user):
    teachers = Teacher.objects.filter(staff_no__in=["TA", "TC"])
    return [
        (reverse("documents:handbook", args=[t.pk]), {"foreword": "望你成才"}) for t in teachers
    ]


def _evidence(world, user):
    teachers = Teacher.objects.filter(staff_no__in=["TA", "TC"])
    return [
        (reverse("documents:evidence", args=[t.pk]), {"years": "5", "applied_title": "4"})
        for t in teachers
    ]


def _batch(world, user):
    return [
        (reverse("documents:dossier_batch"), {"school": s.pk, "format": "zip"})
        for s in world.schools.values()
    ]


def _yearly(fmt: str) -> Requests:
    def requests(world, user):
        year = default_year()
        return [
            (reverse("documents:yearly"), {"owner": v, "year": year, "format": fmt})
            for v, _label in yearly_owner_choices(user)
        ]

    return requests


def _district(world, user):
    districts = {s.district_id for s in world.schools.values()}
    return [(reverse("documents:district_export"), {"district": d}) for d in sorted(districts)]


def _sheets(name: str, *, teacher: bool = False) -> Requests:
    def requests(world, user):
        round = world.assessment_round
        entry = round.entries.get(teacher__staff_no="TA")
        args = [round.pk, entry.pk] if teacher else [round.pk]
        return [(reverse(f"documents:{name}", args=args), {})]

    return requests


def _selection_notice(world, user):
    """The world's round goes into its announcement (公示) first: only then is there a
    notice to print, and its scores are no longer secret."""
    round = world.round
    if round.status != SelectionRound.Status.ANNOUNCED:
        today = timezone.localdate()
        round.candidates.update(proposed=True, is_eligible=True)
        SelectionRound.objects.filter(pk=round.pk).update(
            status=SelectionRound.Status.ANNOUNCED, announce_from=today,
            announce_until=today + datetime.timedelta(days=7), notice_contact="甲校教科室",
        )  # fmt: skip
        panel_reveal(panel=round.panel)
        round.refresh_from_db()
    return [(reverse("documents:selection_print_notice", args=[round.pk]), {})]


def _certificates(world, user):
    return [
        (reverse("training:certificates_print", args=[p.pk]), {})
        for p in Programme.objects.order_by("pk")
    ]


def _training_report(world, user):
    return [
        (reverse("training:report_print", args=[p.pk]), {})
        for p in Programme.objects.order_by("pk")
    ]


def _needs_export(world, user):
    from training.models import NeedsSurvey

    return [
        (reverse("training:needs_export", args=[s.pk]), {})
        for s in NeedsSurvey.objects.order_by("pk")
    ]


def _contests(name: str) -> Requests:
    def requests(world, user):
        return [(reverse(f"contests:{name}", args=[c.pk]), {}) for c in Contest.objects.all()]

    return requests


def _collection(world, user):
    year = school_year_start(timezone.localdate())
    return [
        (reverse("contests:collection_print"), {"school": s.pk, "year": year})
        for s in world.schools.values()
    ]


def _contract(world, user):
    return [(reverse("mentoring:contract", args=[p.pk]), {}) for p in Pairing.objects.all()]


def _commendation(world, user):
    """Each school's confirmed honours list, its teacher commended (made once)."""
    from honours.models import HonourCandidate, HonourList

    year = school_year_start(timezone.localdate()) - 1
    for code, school in world.schools.items():
        honour_list, created = HonourList.objects.get_or_create(
            school=school, year=year,
            defaults={"title": f"{code}表彰", "status": "confirmed", "commended_on": "2026-09-10"},
        )  # fmt: skip
        if created:
            HonourCandidate.objects.create(
                honour_list=honour_list,
                teacher=Teacher.objects.get(staff_no=f"T{code}"),
                honour="优秀教师",
            )
    return [
        (reverse("honours:list_print", args=[pk]), {})
        for pk in HonourList.objects.order_by("pk").values_list("pk", flat=True)
    ]


@dataclass(frozen=True)
class FileKind:
    requests: Requests
    lists_teachers: bool = True  # the file names teachers (else only counts and schools)
    shared: bool = True  # filed under a school or district (else its requester's alone)


FILES: dict[str, FileKind] = {
    "roster_export": FileKind(_list_export("teachers:export")),
    "backbone_roster_export": FileKind(_list_export("backbone:roster_export")),
    "mentoring_compliance_export": FileKind(_list_export("mentoring:overview_export")),
    "duties_export": FileKind(
        lambda w, u: [(reverse("assessment:duties_export"), {"query": ""})], shared=False
    ),
    "data_export": FileKind(_data_export),
    "teacher_dossier": FileKind(_dossier),
    "growth_handbook": FileKind(_handbook),
    "evidence_pack": FileKind(_evidence),
    "batch_dossiers": FileKind(_batch),
    "yearly_report": FileKind(_yearly("pdf"), lists_teachers=False),
    "yearly_report_xlsx": FileKind(_yearly("xlsx"), lists_teachers=False),
    "district_overview_xlsx": FileKind(_district, lists_teachers=False),
    "assessment_notice": FileKind(_sheets("round_print_notice")),
    "assessment_forms": FileKind(_sheets("round_print_forms")),
    "assessment_form": FileKind(_sheets("round_print_form", teacher=True)),
    "mentoring_contract": FileKind(_contract, shared=False),
    "training_certificates": FileKind(_certificates),
    "training_report": FileKind(_training_report, lists_teachers=False),
    "training_needs_export": FileKind(_needs_export, lists_teachers=False),
    "selection_notice": FileKind(_selection_notice),
    "contest_certificates": FileKind(_contests("certificates_print")),
    "contest_results_export": FileKind(_contests("results_export")),
    "library_collection": FileKind(_collection),
    "honours_commendation": FileKind(_commendation),
    "honours_pay_export": FileKind(_list_export("honours:pay_export")),
    "allowance_sheet_export": FileKind(_list_export("recognition:sheet_export")),
    "rewards_export": FileKind(_list_export("recognition:rewards_export")),
}
# Kinds whose job makes no file of rows from the database, with the reason.
NO_FILE = {
    "roster_import": "reads an upload once; its page shows the uploaded file's own rows",
    "designation_import": "reads an upload once; its page shows the uploaded file's own rows",
}


def test_every_job_kind_is_in_the_table():
    # (kinds that tests register for themselves aside)
    kinds = {k for k, f in jobs._HANDLERS.items() if not f.__module__.startswith("tests.")}
    assert kinds == set(FILES) | set(NO_FILE)
    assert not set(FILES) & set(NO_FILE)


# -- reading a file ----------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode()


def _xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        " ".join(str(v) for v in row if v is not None)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def file_text(name: str, data: bytes) -> str:
    if name.endswith(".pdf"):
        return _pdf_text(data)
    if name.endswith(".xlsx"):
        return _xlsx_text(data)
    if name.endswith(".zip"):
        archive = zipfile.ZipFile(io.BytesIO(data))
        return "\n".join(
            file_text(n, archive.read(n)) if n.endswith((".pdf", ".xlsx")) else ""
            for n in archive.namelist()
        ) + "\n".join(
            archive.read(n).decode("utf-8-sig")
            for n in archive.namelist()
            if n.endswith((".csv", ".txt", ".json"))
        )
    raise AssertionError(f"no reader for {name}")


NAMES = tuple(f"{code}{word}" for code in "ABC" for word in ("老师", "师傅"))


def teachers_in(text: str) -> set[str]:
    """The world's teachers named in a file ("A老师", "A师傅"...)."""
    return {name for name in NAMES if re.search(rf"(?<![A-Za-z0-9]){name}", text)}


# -- the matrix ------------------------------------------------------------------------------------


def names_seen(user) -> set[str]:
    """The teachers the user's pages name: the roster, and the other side of their pairings."""
    seen = set(Teacher.objects.visible_to(user).values_list("name", flat=True))
    for pairing in Pairing.objects.visible_to(user).select_related("mentor", "apprentice"):
        seen |= {pairing.mentor.name, pairing.apprentice.name}
    return seen


def _request_all(world, kind: str, client, capture) -> list[Job]:
    spec = FILES[kind]
    for user in world.users.values():
        client.force_login(user)
        for url, data in spec.requests(world, user):
            with capture(execute=True):
                client.post(url, data)
    return list(Job.objects.filter(kind=kind, status=Job.Status.DONE).exclude(file=""))


@pytest.mark.parametrize("kind", sorted(FILES))
def test_every_file_holds_only_what_each_of_its_downloaders_may_see(
    world, kind, client, django_capture_on_commit_callbacks
):
    made = _request_all(world, kind, client, django_capture_on_commit_callbacks)
    assert made, f"nobody could make a {kind} file"
    downloads = 0
    for job in made:
        for name, user in world.users.items():
            if not job_list(user=user).filter(pk=job.pk).exists():
                continue
            client.force_login(user)
            response = client.get(reverse("job_download", args=[job.pk]))
            assert response.status_code == 200, (kind, name)
            text = file_text(job.file.name, b"".join(response.streaming_content))
            downloads += 1
            seen = names_seen(user)
            found = teachers_in(text)
            assert found <= seen, (kind, job.params, job.school, job.district, name, found - seen)
            if FILES[kind].lists_teachers:
                assert found, (kind, job.params, name)
            if SECRET in text:
                assert can_see_scores(user, world.round), (kind, job.params, name)
    # A shared file is read by someone besides its requester; a personal one by nobody else.
    assert (downloads > len(made)) == FILES[kind].shared
