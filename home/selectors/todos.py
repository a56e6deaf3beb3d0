"""What a home section is made of: to-dos with a count and a link, a few lines under each,
and buttons for the next step."""

from dataclasses import dataclass, field

from django.db.models import Count, Window


@dataclass(frozen=True)
class Line:
    """One thing under a to-do: a record, a round, a school."""

    text: str
    url: str = ""
    note: str = ""  # the reason, the deadline, the number


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    icon: str = "plus-lg"


@dataclass
class Todo:
    """A count with its link (the list where the work is done) and what it is about."""

    label: str
    url: str
    count: int = 0
    icon: str = "check2-square"
    lines: list[Line] = field(default_factory=list)
    more: int = 0  # lines not shown
    action: Action | None = None
    jobs: list = field(default_factory=list)  # finished files, shown as on *My files*
    done_tone: bool = False  # a count of things ready, not of work waiting

    @property
    def tone(self) -> str:
        if self.done_tone:
            return "info" if self.count else "secondary"
        return "warning" if self.count else "success"


@dataclass
class Section:
    role: str  # a Role value
    title: str
    todos: list[Todo]
    actions: list[Action] = field(default_factory=list)
    hours: object | None = None  # the teacher's hours meter (records.hours.Hours)
    hours_year_label: str = ""
    empty_text: str = ""

    @property
    def open_count(self) -> int:
        return sum(t.count for t in self.todos)


LINES_SHOWN = 5


def counted(text, *, total: int, url: str, icon: str, lines=(), params=None, **extra) -> Todo:
    """A to-do from a lazy plural text keyed on "count" (``ngettext_lazy(..., "count")``), its
    total and the lines under it (the first LINES_SHOWN of them, the rest counted as more)."""
    shown, more = lines_and_more(list(lines), total)
    return Todo(
        label=text % {"count": total, **(params or {})},
        url=url,
        count=total,
        icon=icon,
        lines=shown,
        more=extra.pop("more", more),
        **extra,
    )


def lines_and_more(lines: list[Line], total: int) -> tuple[list[Line], int]:
    return lines[:LINES_SHOWN], max(0, total - LINES_SHOWN)


def head_and_total(queryset, n: int = LINES_SHOWN) -> tuple[list, int]:
    """The first n rows and how many there are, in one query (a window count over the rows)."""
    rows = list(queryset.annotate(home_total=Window(Count("pk")))[:n])
    return rows, rows[0].home_total if rows else 0
