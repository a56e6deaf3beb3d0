"""The backbone roster, its export and printable view, the designation and reserve pages, and
who may see and change what."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from backbone.models import Designation, ReserveEntry, school_year_start
from core.models import Job
from tests.factories import DesignationFactory, SchoolFactory, TeacherFactory, TeachingGroupFactory
from tests.factories import tier as get_tier
from tests.hostile_files import FORMULA, assert_inert

THIS = school_year_start(timezone.localdate())


@pytest.fixture
def en_login(login):
    """Logged in, pages in English."""

    def _login(user):
        client = login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _login


@pytest.fixture
def roster(school, other_school):
    district = school.district
    chinese = TeachingGroupFactory(school=school, name="语文组")
    maths = TeachingGroupFactory(school=school, name="数学组")
    wang = TeacherFactory(school=school, name="王芳", staff_no="A1", group=chinese, subject="语文")
    liu = TeacherFactory(school=school, name="刘洋", staff_no="A2", group=maths, subject="数学")
    chen = TeacherFactory(school=school, name="陈静", staff_no="A3", group=chinese, subject="语文")
    past = TeacherFactory(school=school, name="周过期", staff_no="A4", subject="语文")
    zhao = TeacherFactory(school=other_school, name="赵敏", staff_no="B1", subject="语文")
    d = {
        "wang": DesignationFactory(
            teacher=wang, tier=get_tier(district, "municipal"), first_year=THIS - 2,
            last_year=THIS, designated_by="福州市教育局", certificate_no="FZ-1",
        ),
        "liu": DesignationFactory(
            teacher=liu, tier=get_tier(district, "district"), first_year=THIS,
            last_year=THIS + 2, designated_by="鼓楼区教育局",
        ),
        "chen": DesignationFactory(
            teacher=chen, tier=get_tier(district, "school"), first_year=THIS, last_year=THIS + 1
        ),
        # The term ended; the expiry job has not run: not on the roster.
        "past": DesignationFactory(teacher=past, first_year=THIS - 3, last_year=THIS - 1),
        "zhao": DesignationFactory(
            teacher=zhao, tier=get_tier(other_school.district, "district"), first_year=THIS,
            last_year=THIS + 2,
        ),
        "title": DesignationFactory(
            teacher=wang, tier=get_tier(district, "subject_leader"), first_year=THIS,
            last_year=THIS + 2,
        ),
    }  # fmt: skip
    return {"chinese": chinese, "maths": maths, **d}


def names(response) -> set[str]:
    return {d.teacher.name for d in response.context["page"]}


def test_roster_lists_current_tier_designations_of_own_school(en_login, principal, roster):
    response = en_login(principal).get(reverse("backbone:roster"))
    assert response.status_code == 200
    assert names(response) == {"王芳", "刘洋", "陈静"}
    body = response.content.decode()
    assert "Subject leader" in body  # the honorary title beside 王芳's tier
    assert "赵敏" not in body and "周过期" not in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tier": "municipal"}, {"王芳"}),
        ({"group": "maths"}, {"刘洋"}),
        ({"subject": "语文"}, {"王芳", "陈静"}),
        ({"ending": "on"}, {"王芳"}),
        ({"title": "subject_leader"}, {"王芳"}),
        ({"q": "A3"}, {"陈静"}),
    ],
)
def test_roster_filters(login, principal, roster, school, params, expected):
    data = dict(params)
    if "tier" in data or "title" in data:
        key = "tier" if "tier" in data else "title"
        data[key] = get_tier(school.district, data[key]).pk
    if "group" in data:
        data["group"] = roster[data["group"]].pk
    assert names(login(principal).get(reverse("backbone:roster"), data)) == expected


def test_roster_counts_designations_per_tier(login, principal, roster, school):
    client = login(principal)
    counts = {t.code: n for t, n in client.get(reverse("backbone:roster")).context["counts"]}
    assert counts == {"school": 1, "district": 1, "municipal": 1, "provincial": 0}
    # The counts follow the other filters, not the tier picked.
    response = client.get(
        reverse("backbone:roster"),
        {"subject": "语文", "tier": get_tier(school.district, "school").pk},
    )
    counts = {t.code: n for t, n in response.context["counts"]}
    assert counts == {"school": 1, "district": 0, "municipal": 1, "provincial": 0}
    assert names(response) == {"陈静"}


def test_htmx_filter_returns_only_the_results_fragment(login, principal, roster):
    response = login(principal).get(reverse("backbone:roster"), {"q": "刘"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "刘洋" in body and "<nav" not in body


def test_district_office_reads_every_school_of_its_district(en_login, district_office, roster):
    sibling = SchoolFactory(district=district_office.role_assignments.get().district)
    DesignationFactory(teacher__school=sibling, teacher__name="孙丽", first_year=THIS)
    response = en_login(district_office).get(reverse("backbone:roster"))
    assert names(response) == {"王芳", "刘洋", "陈静", "孙丽"}
    body = response.content.decode()
    assert reverse("backbone:designation_new") not in body
    assert reverse("backbone:designation_revoke", args=[roster["liu"].pk]) not in body


def test_export_writes_the_filtered_scoped_roster(
    login, principal, roster, django_capture_on_commit_callbacks
):
    client = login(principal)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("backbone:roster_export"), {"query": "subject=语文"})
    job = Job.objects.get()
    assert job.kind == "backbone_roster_export"
    assert response.url == reverse("job", args=[job.pk])
    assert job.status == Job.Status.DONE, job.error
    download = client.get(reverse("job_download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in rows] == ["王芳", "陈静"]  # tier order, highest first
    wang = rows[0]
    assert wang[1] == "A1" and "FZ-1" in wang and "福州市教育局" in wang
    assert roster["wang"].term_label in wang


def test_printable_view_is_a_clean_table_with_school_and_date(en_login, principal, roster):
    response = en_login(principal).get(reverse("backbone:roster_print"), {"subject": "数学"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "城关第一小学" in body and timezone.localdate().strftime("%Y-%m-%d") in body
    assert "css/roster-print.css" in body and "navbar" not in body  # the print stylesheet
    assert [d.teacher.name for d in response.context["designations"]] == ["刘洋"]


# -- who may see and change what ------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("principal", 200, 200),
        ("training_office", 200, 200),
        ("committee_member", 200, 403),
        ("district_office", 200, 403),
        ("outsider", 200, 404),  # their own (empty) roster; our objects do not exist for them
        ("teacher_user", 404, 404),
    ],
)
def test_roster_and_object_permissions(request, login, roster, who, read, write):
    client = login(request.getfixturevalue(who))
    for name in ("roster", "roster_print", "reserve"):
        assert client.get(reverse(f"backbone:{name}")).status_code == read
    liu = roster["liu"]
    for name in ("designation_revoke", "designation_promote"):
        assert client.get(reverse(f"backbone:{name}", args=[liu.pk])).status_code == write
    response = client.post(reverse("backbone:designation_revoke", args=[liu.pk]), {"reason": "x"})
    assert response.status_code == (302 if write == 200 else write)
    liu.refresh_from_db()
    assert (liu.status == Designation.Status.REVOKED) == (write == 200)


def test_outsider_sees_nothing_of_another_school(login, outsider, roster):
    client = login(outsider)
    response = client.get(reverse("backbone:roster"))
    assert names(response) == {"赵敏"}  # their own school's only
    assert "王芳" not in response.content.decode()
    printed = client.get(reverse("backbone:roster_print")).context["designations"]
    assert [d.teacher.name for d in printed] == ["赵敏"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("committee_member", 403), ("district_office", 403), ("teacher_user", 404)],
)
def test_readers_cannot_record_designations(request, login, roster, school, who, status):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("backbone:designation_new")).status_code == status
    teacher = TeacherFactory(school=school)
    data = {"teacher": teacher.pk, "tier": get_tier(school.district, "district").pk,
            "designated_by": "x", "first_year": THIS}  # fmt: skip
    assert client.post(reverse("backbone:designation_new"), data).status_code == status
    assert not teacher.designations.exists()


def test_teacher_cannot_export_the_roster(login, teacher_user, roster):
    assert login(teacher_user).post(reverse("backbone:roster_export")).status_code == 404
    assert not Job.objects.exists()


# -- recording, revoking, promoting from the pages ------------------------------------------
def test_principal_records_an_external_designation(en_login, principal, school):
    teacher = TeacherFactory(school=school, name="吴军")
    client = en_login(principal)
    form = client.get(reverse("backbone:designation_new")).context["form"]
    assert form.fields["first_year"].initial == THIS
    assert "school" not in {t.code for t in form.fields["tier"].queryset}
    data = {"teacher": teacher.pk, "tier": get_tier(school.district, "district").pk,
            "designated_by": "鼓楼区教育局", "certificate_no": "GL-7",
            "first_year": THIS}  # fmt: skip
    response = client.post(reverse("backbone:designation_new"), data)
    assert response.status_code == 302
    designation = teacher.designations.get()
    assert (designation.first_year, designation.last_year) == (THIS, THIS + 2)
    assert designation.created_by == principal
    detail = client.get(response.url).content.decode()
    assert "GL-7" in detail and 'id="designation-history"' in detail


def test_a_second_active_designation_is_refused_with_a_clear_message(en_login, principal, roster):
    data = {"teacher": roster["liu"].teacher_id, "tier": roster["wang"].tier_id,
            "designated_by": "福州市教育局", "first_year": THIS}  # fmt: skip
    response = en_login(principal).post(reverse("backbone:designation_new"), data)
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert "revoke it or promote" in errors[0]
    assert Designation.objects.filter(teacher_id=roster["liu"].teacher_id).count() == 1


def test_a_principal_cannot_record_for_another_schools_teacher(login, outsider, roster, school):
    data = {"teacher": roster["chen"].teacher_id, "tier": get_tier(school.district, "district").pk,
            "designated_by": "x", "first_year": THIS}  # fmt: skip
    response = login(outsider).post(reverse("backbone:designation_new"), data)
    assert response.status_code == 200 and response.context["form"].errors["teacher"]
    assert Designation.objects.filter(teacher_id=roster["chen"].teacher_id).count() == 1


def test_revoke_from_the_roster_keeps_the_history(en_login, training_office, roster):
    client = en_login(training_office)
    response = client.post(
        reverse("backbone:designation_revoke", args=[roster["chen"].pk]), {"reason": "调离"}
    )
    assert response.status_code == 302
    assert "陈静" not in names(client.get(reverse("backbone:roster")))
    chen = Designation.objects.get(pk=roster["chen"].pk)
    assert (chen.status, chen.closed_reason, chen.closed_by) == ("revoked", "调离", training_office)
    detail = client.get(reverse("teachers:detail", args=[chen.teacher_id])).content.decode()
    assert "Revoked" in detail and "调离" in detail


def test_promote_from_the_roster(en_login, principal, roster, school):
    client = en_login(principal)
    url = reverse("backbone:designation_promote", args=[roster["liu"].pk])
    form = client.get(url).context["form"]
    assert {t.code for t in form.fields["tier"].queryset} == {"municipal", "provincial"}
    data = {"tier": get_tier(school.district, "municipal").pk, "designated_by": "福州市教育局",
            "certificate_no": "FZ-2", "first_year": THIS}  # fmt: skip
    assert client.post(url, data).status_code == 302
    old = Designation.objects.get(pk=roster["liu"].pk)
    assert old.status == Designation.Status.SUPERSEDED
    assert old.promoted_to.tier.code == "municipal" and old.promoted_to.certificate_no == "FZ-2"
    response = client.get(reverse("backbone:roster"), {"q": "刘"})
    assert [d.tier.code for d in response.context["page"]] == ["municipal"]


def test_promoting_to_a_lower_tier_is_refused(login, principal, roster, school):
    url = reverse("backbone:designation_promote", args=[roster["wang"].pk])
    data = {"tier": get_tier(school.district, "district").pk, "designated_by": "x",
            "first_year": THIS}  # fmt: skip
    response = login(principal).post(url, data)
    assert response.status_code == 200 and response.context["form"].errors["tier"]
    assert Designation.objects.get(pk=roster["wang"].pk).status == Designation.Status.ACTIVE


def test_teacher_sees_their_own_designation_history(en_login, teacher_user, school):
    teacher = teacher_user.teacher
    DesignationFactory(teacher=teacher, first_year=THIS - 3, last_year=THIS - 1)
    body = en_login(teacher_user).get(reverse("teachers:detail", args=[teacher.pk])).content
    body = body.decode()
    assert 'id="designation-history"' in body and "Expired" in body  # read as expired
    assert reverse("backbone:designation_new") not in body


# -- reserve pool ---------------------------------------------------------------------------
def test_reserve_pool_add_and_remove(en_login, principal, school, roster):
    teacher = TeacherFactory(school=school, name="新秀")
    client = en_login(principal)
    data = {"teacher": teacher.pk, "tier": get_tier(school.district, "school").pk,
            "reason": "教学新秀，公开课获奖"}  # fmt: skip
    assert client.post(reverse("backbone:reserve"), data).status_code == 302
    entry = ReserveEntry.objects.get()
    assert entry.marked_by == principal
    body = client.get(reverse("backbone:reserve")).content.decode()
    assert "新秀" in body and "公开课获奖" in body
    assert client.post(reverse("backbone:reserve"), data).context["form"].errors  # twice: refused
    assert client.post(reverse("backbone:reserve_remove", args=[entry.pk])).status_code == 302
    entry.refresh_from_db()
    assert entry.removed_on == timezone.localdate()
    assert not client.get(reverse("backbone:reserve")).context["entries"].exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("committee_member", 403), ("district_office", 403), ("outsider", 404),
     ("teacher_user", 404)],
)  # fmt: skip
def test_readers_cannot_change_the_reserve_pool(request, login, principal, school, who, status):
    teacher = TeacherFactory(school=school)
    tier = get_tier(school.district, "school")
    entry = ReserveEntry.objects.create(teacher=teacher, tier=tier, reason="x", marked_by=principal)
    client = login(request.getfixturevalue(who))
    assert client.post(reverse("backbone:reserve_remove", args=[entry.pk])).status_code == status
    data = {"teacher": teacher.pk, "tier": tier.pk, "reason": "y"}
    assert client.post(reverse("backbone:reserve"), data).status_code in (status, 200)
    entry.refresh_from_db()
    assert entry.removed_on is None and ReserveEntry.objects.count() == 1


# -- query counts ---------------------------------------------------------------------------
def _designations(school, n):
    tiers = [get_tier(school.district, code) for code in ("school", "district", "municipal")]
    title = get_tier(school.district, "teaching_expert")
    for i in range(n):
        group = TeachingGroupFactory(school=school)
        teacher = TeacherFactory(school=school, group=group, subject=f"科目{i % 4}")
        DesignationFactory(teacher=teacher, tier=tiers[i % 3], first_year=THIS, last_year=THIS)
        if i % 2:
            DesignationFactory(teacher=teacher, tier=title, first_year=THIS, last_year=THIS + 2)


@pytest.mark.parametrize("name", ["roster", "roster_print", "reserve"])
def test_query_count_does_not_grow_with_rows(login, principal, school, count_queries, name):
    client = login(principal)
    url = reverse(f"backbone:{name}")
    _designations(school, 5)
    for entry_teacher in TeacherFactory.create_batch(5, school=school):
        ReserveEntry.objects.create(
            teacher=entry_teacher, tier=get_tier(school.district, "school"), reason="x"
        )
    few = count_queries(client, url)
    _designations(school, 35)
    for entry_teacher in TeacherFactory.create_batch(35, school=school):
        ReserveEntry.objects.create(
            teacher=entry_teacher, tier=get_tier(school.district, "district"), reason="x"
        )
    assert count_queries(client, url) == few


def test_roster_shows_the_latest_annual_grade_and_a_revocation_flag(en_login, principal, school):
    from tests.factories import AnnualGradeFactory

    year = school_year_start(timezone.localdate())
    teacher = TeacherFactory(school=school, name="周敏")
    DesignationFactory(
        teacher=teacher, first_year=year - 1, last_year=year + 1,
        flagged_at=timezone.now(), flag_reason="年度考核不合格",
    )  # fmt: skip
    AnnualGradeFactory(teacher=teacher, year=year - 2, grade=4)
    AnnualGradeFactory(teacher=teacher, year=year - 1, grade=1)
    body = en_login(principal).get(reverse("backbone:roster")).content.decode()
    assert "Unqualified" in body and "Excellent" not in body  # only the latest year shows
    assert "Flagged for revocation" in body


def test_the_export_writes_a_name_that_looks_like_a_formula_as_text(
    login, principal, roster, django_capture_on_commit_callbacks
):
    teacher = roster["wang"].teacher
    teacher.name = FORMULA
    teacher.save()
    client = login(principal)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("backbone:roster_export"), {"query": ""})
    download = client.get(reverse("job_download", args=[Job.objects.get().pk]))
    assert_inert(load_workbook(io.BytesIO(b"".join(download.streaming_content))))
