"""The shared library: an author shares verified work with the school (or, when awarded at
district level or above, with the district); colleagues search it and download its files;
the school's managers choose the year's best cases and print them as one PDF."""

import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from contests.models import SharedItem
from contests.services.library import item_select, item_share, item_unshare
from core.models import Job
from records.models import Paper, ReadingNote
from records.services.files import attachment_add
from tests.factories import DesignationFactory, tier
from tests.markers import needs_pdf_tools

from .conftest import YEAR, pdf_upload, teacher_login

pytestmark = pytest.mark.django_db


def _case(teacher, title="《雨》教学案例", level=None, kind="case", status="verified", **kw):
    return Paper.objects.create(
        teacher=teacher, year=YEAR, date=f"{YEAR}-10-01", status=status, result_kind=kind,
        paper_title=title, progress="awarded" if level else "written", award_level=level, **kw,
    )  # fmt: skip


@pytest.fixture
def author(school):
    return teacher_login(school, "分享老师", "author")


def test_only_the_author_shares_verified_work_and_the_district_only_when_awarded_there(
    author, teacher_user
):
    case = _case(author.teacher)
    with pytest.raises(PermissionDenied):
        item_share(record=case, reach="school", by=teacher_user)
    with pytest.raises(ValidationError):
        item_share(record=case, reach="district", by=author)
    with pytest.raises(ValidationError):
        item_share(record=_case(author.teacher, status="submitted"), reach="school", by=author)
    with pytest.raises(ValidationError):  # a research report is no library kind
        item_share(record=_case(author.teacher, kind="report"), reach="school", by=author)
    item_share(record=case, reach="school", by=author)
    item_share(record=case, reach="school", by=author)  # twice: one item
    awarded = _case(author.teacher, "区级获奖案例", level=2)
    assert item_share(record=awarded, reach="district", by=author).reach == "district"
    assert SharedItem.objects.count() == 2
    assert item_unshare(record=case, by=author) and SharedItem.objects.count() == 1


def test_colleagues_of_the_school_and_the_district_see_what_reaches_them(
    login, school, sister_school, author, teacher_user, outsider, district_office
):
    item_share(record=_case(author.teacher, "校内案例"), reach="school", by=author)
    item_share(record=_case(author.teacher, "区内案例", level=2), reach="district", by=author)
    sister = teacher_login(sister_school, "兄弟校老师", "sister")
    url = reverse("contests:library")
    page = login(teacher_user).get(url).content.decode()
    assert "校内案例" in page and "区内案例" in page
    page = login(sister).get(url).content.decode()
    assert "校内案例" not in page and "区内案例" in page
    assert "区内案例" in login(district_office).get(url).content.decode()
    page = login(outsider).get(url).content.decode()
    assert "校内案例" not in page and "区内案例" not in page


def test_search_by_subject_grade_kind_and_tier(login, school, author, teacher_user):
    author.teacher.subject, author.teacher.grades = "数学", "三年级"
    author.teacher.save()
    DesignationFactory(teacher=author.teacher, tier=tier(school.district, "district"),
                       first_year=YEAR - 1, last_year=YEAR + 1)  # fmt: skip
    item_share(record=_case(author.teacher, "分数的意义"), reach="school", by=author)
    other = teacher_login(school, "语文老师", "chinese")
    item_share(record=_case(other.teacher, "语文设计", kind="design"), reach="school", by=other)
    client = login(teacher_user)
    url = reverse("contests:library")

    def titles(**query):
        return [i.record.title for i in client.get(url, query).context["items"]]

    assert sorted(titles()) == ["分数的意义", "语文设计"]
    assert titles(subject="数学") == ["分数的意义"]
    assert titles(grade="三年级") == ["分数的意义"]
    assert titles(kind="design") == ["语文设计"]
    assert titles(tier=tier(school.district, "district").pk) == ["分数的意义"]
    assert titles(text="设计") == ["语文设计"]


def test_a_shared_file_downloads_for_colleagues_only(
    login, school, author, teacher_user, outsider, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    case = _case(author.teacher, status="draft")
    attachment = attachment_add(record=case, upload=pdf_upload(), role="other", by=author)
    Paper.objects.filter(pk=case.pk).update(status="verified")
    url = reverse("contests:library_file", args=[attachment.pk])
    assert login(teacher_user).get(url).status_code == 404  # not shared yet
    item_share(record=case, reach="school", by=author)
    response = login(teacher_user).get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert login(outsider).get(url).status_code == 404
    Paper.objects.filter(pk=case.pk).update(status="archived")  # no longer counts: gone
    assert login(teacher_user).get(url).status_code == 404


def test_the_library_page_makes_the_same_number_of_queries_with_more_items(
    login, school, author, teacher_user, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(2):
        item_share(record=_case(author.teacher, f"案例{i}"), reach="school", by=author)
    client = login(teacher_user)
    url = reverse("contests:library")
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    for i in range(2, 20):
        item_share(record=_case(author.teacher, f"案例{i}"), reach="school", by=author)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        assert client.get(url).status_code == 200


def test_only_the_schools_managers_choose_and_print_the_collection(
    login, school, author, committee_member, training_office, outsider
):
    item = item_share(record=_case(author.teacher), reach="school", by=author)
    with pytest.raises(PermissionDenied):
        item_select(item=item, selected=True, by=committee_member)
    url = reverse("contests:collection_print")
    data = {"school": school.pk, "year": YEAR}
    assert login(committee_member).post(url, data).status_code == 403
    assert login(outsider).post(url, data).status_code == 403
    select = reverse("contests:library_select", args=[item.pk])
    assert login(outsider).post(select, {"selected": "1"}).status_code == 404
    assert login(training_office).post(select, {"selected": "1"}).status_code == 302
    assert SharedItem.objects.get().selected and not Job.objects.exists()


@needs_pdf_tools
def test_the_collection_prints_the_chosen_cases_of_the_year(
    login, school, author, training_office, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    chosen = item_share(
        record=_case(author.teacher, "入选案例：雨中的课堂"), reach="school", by=author
    )
    item_share(record=_case(author.teacher, "未入选案例"), reach="school", by=author)
    note = ReadingNote.objects.create(teacher=author.teacher, year=YEAR, date=f"{YEAR}-11-01",
                                      status="verified", book="《给教师的建议》",
                                      reflection="读后深受启发。")  # fmt: skip
    reflection = item_share(record=note, reach="school", by=author)
    for item in (chosen, reflection):
        item_select(item=item, selected=True, by=training_office)
    client = login(training_office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("contests:collection_print"), {"school": school.pk, "year": YEAR})
    job = Job.objects.get(kind="library_collection")
    assert job.status == Job.Status.DONE, job.error
    path = tmp_path / "collection.pdf"
    path.write_bytes(job.file.read())
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout
    assert "入选案例：雨中的课堂" in text and "读后深受启发" in text and "未入选案例" not in text
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    assert int(info.split("Pages:")[1].split()[0]) == 4  # cover, contents, two cases
