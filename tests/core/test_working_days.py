"""Working days (工作日) for announcement periods: weekends and the district's holidays do not
count; another district's holidays do."""

import datetime

from core.dates import working_day_end, working_days
from core.models import Holiday

MONDAY = datetime.date(2026, 9, 28)  # 国庆 starts on the Thursday after


def test_a_week_without_holidays_has_five_working_days(school):
    sunday = MONDAY + datetime.timedelta(days=6)
    assert working_days(MONDAY, sunday, district_id=school.district_id) == 5
    assert working_day_end(
        MONDAY, 5, district_id=school.district_id
    ) == MONDAY + datetime.timedelta(4)


def test_holidays_of_the_district_are_skipped_and_others_not(school, other_school):
    Holiday.objects.create(
        district=school.district,
        name="国庆",
        start_date=datetime.date(2026, 10, 1),
        end_date=datetime.date(2026, 10, 7),
    )
    # Mon 28, Tue 29, Wed 30 work; 1–7 October off; Thu 8 and Fri 9 work.
    assert working_day_end(MONDAY, 5, district_id=school.district_id) == datetime.date(2026, 10, 9)
    assert working_days(MONDAY, datetime.date(2026, 10, 9), district_id=school.district_id) == 5
    assert working_day_end(MONDAY, 5, district_id=other_school.district_id) == datetime.date(
        2026, 10, 2
    )


def test_an_empty_period_has_no_working_day(school):
    assert working_days(MONDAY, MONDAY - datetime.timedelta(1), district_id=school.district_id) == 0
