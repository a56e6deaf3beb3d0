"""The allowance sheet, the rates and the teacher's history as people use them."""

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Job, Role, RoleAssignment
from recognition.models import AllowancePayment, Rate
from recognition.services import allowance_month_pay
from recognition.sheet import current_month
from tests.factories import SchoolFactory, TeacherFactory, tier, user_with_role

from .conftest import designate

pytestmark = pytest.mark.django_db

SHEET = reverse("recognition:sheet")


@pytest.fixture
def sheet_world(school, rates, backbone_teacher):
    designate(backbone_teacher)
    return backbone_teacher


def _month_query(school):
    return {"school": school.pk, "month": current_month().strftime("%Y-%m")}


# -- who may see and change what ----------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "read", "pay"),
    [
        ("principal", 200, 302),
        ("training_office", 200, 302),
        ("district_office", 200, 403),
        ("committee_member", 404, 404),
        ("teacher_user", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_who_reads_the_sheet_and_who_marks_it_paid(
    request, login, school, sheet_world, who, read, pay
):
    client = login(request.getfixturevalue(who))
    assert client.get(SHEET, {"school": school.pk}).status_code == read
    data = {**_month_query(school), "paid_on": datetime.date.today().isoformat()}
    assert client.post(reverse("recognition:sheet_pay"), data).status_code == pay
    assert AllowancePayment.objects.exists() == (pay == 302)


def test_the_district_office_reads_without_the_pay_button(
    en_login, school, sheet_world, district_office
):
    body = en_login(district_office).get(SHEET, {"school": school.pk}).content.decode()
    assert "王芳" in body and "Mark paid" not in body


def test_the_sheet_in_english_and_in_chinese(login, en_login, principal, school, sheet_world):
    en = en_login(principal).get(SHEET).content.decode()
    assert "Allowance sheet" in en and "School-level backbone" in en and "20.00" in en
    assert "first day of that month" in en  # the rule is said on the page
    client = login(principal)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    zh = client.get(SHEET).content.decode()
    assert "校级骨干教师" in zh and "王芳" in zh


def test_marking_paid_twice_from_the_page_pays_once(en_login, principal, school, sheet_world):
    client = en_login(principal)
    data = {**_month_query(school), "paid_on": datetime.date.today().isoformat()}
    client.post(reverse("recognition:sheet_pay"), data)
    response = client.post(reverse("recognition:sheet_pay"), data, follow=True)
    assert "Nothing left to pay" in response.content.decode()
    assert AllowancePayment.objects.filter(month=current_month()).count() == 1


def test_the_sheet_needs_no_data_entry_for_any_month(en_login, principal, school, sheet_world):
    body = en_login(principal).get(SHEET, {"school": school.pk, "month": "2026-05"}).content
    assert "王芳" in body.decode() and "Unpaid" in body.decode()


def test_query_counts_stay_constant_as_teachers_grow(
    login, principal, school, rates, count_queries
):
    client = login(principal)

    def grow(n):
        for _ in range(n):
            designate(TeacherFactory(school=school))

    grow(3)
    few = count_queries(client, SHEET)
    grow(25)
    many = count_queries(client, SHEET)
    assert few == many
    paid = datetime.date.today()
    allowance_month_pay(school=school, month=current_month(), paid_on=paid, by=principal)
    assert count_queries(client, SHEET) == many


def test_rewards_page_query_count_is_constant(login, principal, school, rates, count_queries):
    from recognition.services import reward_record

    def grow(n):
        for _ in range(n):
            reward_record(
                school=school,
                teacher=TeacherFactory(school=school),
                kind="rookie",
                title="教坛新秀",
                awarded_on=datetime.date(2025, 12, 1),
                by=principal,
            )

    client = login(principal)
    grow(2)
    few = count_queries(client, reverse("recognition:rewards"))
    grow(20)
    assert count_queries(client, reverse("recognition:rewards")) == few


# -- rates ---------------------------------------------------------------------------------
def test_the_district_office_sets_the_default_and_a_principal_the_schools_own(
    en_login, school, district_office, principal
):
    data = {
        "applies_to": f"district={school.district_id}",
        "kind": "allowance",
        "tier": tier(school.district).pk,
        "amount": "20",
        "valid_from": "2025-09",
    }
    assert en_login(district_office).post(reverse("recognition:rate_new"), data).status_code == 302
    own = {**data, "applies_to": f"school={school.pk}", "amount": "30"}
    client = en_login(principal)
    assert client.post(reverse("recognition:rate_new"), data).status_code == 200  # not theirs
    assert client.post(reverse("recognition:rate_new"), own).status_code == 302
    rates = {(r.school_id, r.amount) for r in Rate.objects.all()}
    assert rates == {(None, Decimal(20)), (school.pk, Decimal(30))}
    page = client.get(reverse("recognition:rates")).content.decode()
    assert "District default" in page and "30.00" in page


def test_a_teacher_cannot_set_a_rate(login, teacher_user, school):
    response = login(teacher_user).get(reverse("recognition:rate_new"))
    assert response.status_code == 404


# -- the export ---------------------------------------------------------------------------
def _export(client, owner, query, capture):
    with capture(execute=True):
        client.post(reverse("recognition:sheet_export"), {"query": query, "owner": owner})
    job = Job.objects.latest("pk")
    assert job.status == Job.Status.DONE, job.error
    download = client.get(reverse("job_download", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    return [row for ws in book.worksheets for row in ws.iter_rows(min_row=2, values_only=True)]


def test_the_export_holds_only_the_owners_school_for_a_user_of_two_schools(
    login, school, rates, sheet_world, django_capture_on_commit_callbacks
):
    second = SchoolFactory(district=school.district, name="城关第二小学")
    designate(TeacherFactory(school=second, name="赵敏"))
    user = user_with_role(Role.PRINCIPAL, school=school, username="two_hats")
    RoleAssignment.objects.create(user=user, role=Role.TRAINING_OFFICE, school=second)
    client = login(user)
    month = current_month().strftime("%Y-%m")
    rows = _export(
        client, f"school={school.pk}", f"month={month}", django_capture_on_commit_callbacks
    )
    assert {row[3] for row in rows} == {"王芳"}
    # Asking for the other school in a file filed under the first one gives nothing of it.
    rows = _export(
        client,
        f"school={school.pk}",
        f"school={second.pk}&month={month}",
        django_capture_on_commit_callbacks,
    )
    assert rows == []
    rows = _export(
        client,
        f"school={second.pk}",
        f"school={second.pk}&month={month}",
        django_capture_on_commit_callbacks,
    )
    assert {row[3] for row in rows} == {"赵敏"} and rows[0][6] == 20


# -- the teacher's page --------------------------------------------------------------------
def test_the_teacher_sees_their_own_allowance_history(en_login, school, rates, teacher_user):
    teacher = teacher_user.teacher
    designate(teacher)
    body = en_login(teacher_user).get(reverse("teachers:me"), follow=True).content.decode()
    assert 'id="allowance-history"' in body and "School-level backbone" in body


def test_a_committee_member_does_not_see_the_allowances(
    en_login, school, rates, sheet_world, committee_member
):
    response = en_login(committee_member).get(reverse("teachers:detail", args=[sheet_world.pk]))
    assert response.status_code == 200
    assert 'id="allowance-history"' not in response.content.decode()


def test_the_data_export_carries_the_allowances_of_its_school_only(
    login, school, other_school, rates, sheet_world, principal, django_capture_on_commit_callbacks
):
    from tests.core.test_data_export import export, text_of

    allowance_month_pay(
        school=school, month=current_month(), paid_on=datetime.date.today(), by=principal
    )
    archive = export(login, principal, f"school={school.pk}", django_capture_on_commit_callbacks)
    assert "王芳" in text_of(archive, "allowance_payments")
    assert "20.00" in text_of(archive, "allowance_rates")
    assert "rewards" in {n.split("/")[-1].removesuffix(".csv") for n in archive.namelist()}


def test_once_the_month_is_paid_the_page_offers_to_pay_the_arrears(
    en_login, principal, school, sheet_world
):
    client = en_login(principal)
    data = {**_month_query(school), "paid_on": datetime.date.today().isoformat()}
    client.post(reverse("recognition:sheet_pay"), data)
    body = client.get(SHEET, {"school": school.pk}).content.decode()
    assert "Mark the arrears of" in body and "Mark 0.00 yuan paid" not in body
    assert 'name="with_arrears" value="on"' in body
    client.post(reverse("recognition:sheet_pay"), {**data, "with_arrears": "on"})
    assert AllowancePayment.objects.filter(month__lt=current_month()).exists()
    body = client.get(SHEET, {"school": school.pk}).content.decode()
    assert "Mark the arrears of" not in body
