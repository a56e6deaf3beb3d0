"""The yearly review (年度总结) of a school, or of a district across its schools: the numbers
behind the PDF report, the xlsx workbook and the district overview.

Everything is computed per school and added up, so a district report is the sum of its
schools, and the number of queries does not grow with the number of schools or teachers.

Roster conventions (those of the target page, ``backbone.selectors.planning.year_counted``):
"at the start" is what was held at the end of the previous school year, "at the end" what is
held at the end of this one. Changes during the year:
    new        tier designations beginning this year that are not promotions;
    promoted   tier designations beginning this year for a teacher whose lower designation was
               superseded this year (or recorded as a promotion);
    revoked    revoked during the year;
    expired    terms ending with this school year (active or expired, not revoked/superseded).
"""

from .counting import yearly_report
from .figures import (
    LIGHTS,
    ROSTER_FIELDS,
    Person,
    SchoolYearly,
    hour_buckets,
    parse_year,
    roster_field_labels,
    targets_in_force,
    year_dates,
)
from .report import YearlyReport

__all__ = [
    "hour_buckets",
    "LIGHTS",
    "ROSTER_FIELDS",
    "Person",
    "SchoolYearly",
    "YearlyReport",
    "parse_year",
    "roster_field_labels",
    "targets_in_force",
    "year_dates",
    "yearly_report",
]
