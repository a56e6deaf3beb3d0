"""Demo honours: last school year's honours list of the primary school, proposed from the
demo's records and confirmed by the principal, with its commendation date; and a monthly
check (月考核) of last month with a comment, released to the teachers. A school that already
has a list for that year is left alone, so running the step again adds nothing."""

import datetime

from core.demo import Demo, demo_step
from core.models import User


@demo_step
def seed_honours(demo: Demo) -> None:
    from assessment.models import MonthlyCheck
    from assessment.services.monthly import (
        monthly_check_comment,
        monthly_check_open,
        monthly_check_release,
    )

    from .models import HonourList
    from .services import honour_list_confirm, honour_list_propose

    school = demo.schools.get("primary")
    principal = User.objects.filter(username="principal").first()
    if school is None or principal is None:
        return
    year = demo.current_year.start_year - 1
    if not HonourList.objects.filter(school=school, year=year).exists():
        honour_list = honour_list_propose(school=school, year=year, by=principal)
        if honour_list.candidates.exists():
            honour_list.commended_on = datetime.date(year + 1, 9, 10)
            honour_list.save(update_fields=["commended_on"])
            honour_list_confirm(honour_list=honour_list, by=principal)
        demo.log(f"honours list: {honour_list.candidates.count()} candidates")
    last_month = (demo.today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    if not MonthlyCheck.objects.filter(school=school, month=last_month).exists():
        check = monthly_check_open(school=school, month=last_month, by=principal)
        first = check.entries.order_by("teacher__staff_no").first()
        if first is not None:
            monthly_check_comment(
                check=check, comments={first.pk: "本月任务完成较好，请继续按时提交听课记录。"},
                by=principal,
            )  # fmt: skip
        monthly_check_release(check=check, by=principal)
        demo.log(f"monthly check {check.month_label}: {check.entries.count()} teachers")
