"""Assessment rounds: this year's being scored, last year's posted."""

import datetime
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from assessment.models import AssessmentRound, AssessmentTemplate
from core.models import school_year_label

from .constants import BENCH_SEED
from .context import Bench


def seed_assessment_rounds(bench: Bench) -> None:
    """This year's annual round, being scored, in every school (through the services, so each
    entry has its prefilled facts); last year's round scored, finalised, posted and locked at
    the first school of each district."""
    from assessment.services import rounds as services

    first_schools = {s.district_id: s for s in reversed(bench.schools)}
    rng = random.Random(BENCH_SEED)
    made = 0
    for school in bench.schools:
        staff = bench.staff[school.pk]
        committee = [staff.get("committee") or staff["principal"], staff["office"]]
        years = [bench.current]
        if first_schools[school.district_id] is school:
            years.insert(0, bench.current - 1)
        for year in years:
            title = f"{school_year_label(year)}学年骨干教师年度考核"
            try:
                round = services.round_open(
                    school=school, kind=AssessmentTemplate.Kind.ANNUAL, year=year, title=title,
                    committee=committee, by=staff["office"],
                )  # fmt: skip
            except ValidationError as exc:  # a school without backbone teachers has no round
                bench.log(f"{school.name}: no assessment round ({exc})")
                continue
            made += 1
            entries = list(round.entries.order_by("teacher__staff_no"))
            components = list(round.template.components.all())
            scored = committee if year < bench.current else committee[:1]
            for member in scored:
                half = entries if year < bench.current else entries[: len(entries) // 2]
                values = {
                    (e.pk, c.pk): Decimal(str(round_half(c.max_score * rng.uniform(0.62, 0.99))))
                    for e in half
                    for c in components
                }
                services.score_sheet_save(round=round, member=member, values=values)
                if year < bench.current:
                    services.score_sheet_submit(round=round, member=member)
            if year < bench.current:
                services.round_finalise(round=round, by=staff["principal"])
                # That year's results were confirmed in June, before the July notice.
                AssessmentRound.objects.filter(pk=round.pk).update(
                    finalised_at=timezone.make_aware(datetime.datetime(year + 1, 6, 30, 12))
                )
                services.round_post(
                    round=round, by=staff["principal"],
                    notice_from=datetime.date(year + 1, 7, 1),
                    notice_until=datetime.date(year + 1, 7, 7),
                )  # fmt: skip
                AssessmentRound.objects.filter(pk=round.pk).update(
                    status=AssessmentRound.Status.LOCKED
                )
    bench.counts["assessment rounds"] += made


def round_half(value: float) -> float:
    return round(value * 2) / 2
