"""What the register says about absences without a valid reason: the lines marked absent
(not approved leave, not late, not left early) of published sessions in a period. The annual
assessment's "absent from training without a valid reason" rule reads them
(assessment.services.facts); correcting the register corrects what is read."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from .models import Attendance


def unexcused_absences(
    *, teacher_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[int, list[dict]]:
    """teacher id -> the sessions they missed without approved leave, oldest first, as
    plain values (what an assessment keeps in its facts). One query."""
    rows = (
        Attendance.objects.filter(
            teacher_id__in=list(teacher_ids),
            status=Attendance.Status.ABSENT,
            session__published_at__isnull=False,
            session__date__gte=start,
            session__date__lte=end,
        )
        .order_by("session__date", "session__starts_at", "session_id")
        .values("teacher_id", "session_id", "session__date", "session__theme")
    )
    found = defaultdict(list)
    for row in rows:
        found[row["teacher_id"]].append(
            {
                "session": row["session_id"],
                "date": row["session__date"].isoformat(),
                "theme": row["session__theme"],
            }
        )
    return dict(found)
