"""What the steps share (``Bench``), and small helpers for sizes and numbers."""

import datetime
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from backbone.models import Tier
from core.models import District, School, User
from teachers.models import Teacher


@dataclass(frozen=True)
class BenchLogin:
    username: str
    role: str
    place: str


@dataclass
class Bench:
    """What the steps share, and what the command prints at the end."""

    today: datetime.date
    years: list[int]  # start years, oldest first; the last is the current school year
    code_prefix: str
    login_prefix: str
    log: Callable[[str], None]
    rng: random.Random
    password_hash: str
    districts: list[District] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)
    tiers: dict[int, dict[str, Tier]] = field(default_factory=dict)  # district id -> code -> tier
    staff: dict[int, dict[str, User]] = field(default_factory=dict)  # school id -> role -> user
    logins: list[BenchLogin] = field(default_factory=list)
    login_teacher: Teacher | None = None
    counts: Counter = field(default_factory=Counter)

    @property
    def current(self) -> int:
        return self.years[-1]

    def username(self, name: str) -> str:
        return f"{self.login_prefix}{name}"


def sizes_for(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` near-equal whole numbers."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def scaled(sizes: list[int], total: int) -> list[int]:
    """Sizes scaled to add up to ``total`` (largest remainders)."""
    whole = sum(sizes)
    exact = [s * total / whole for s in sizes]
    result = [int(x) for x in exact]
    order = sorted(range(len(sizes)), key=lambda i: exact[i] - result[i], reverse=True)
    for i in order[: total - sum(result)]:
        result[i] += 1
    return result


def numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def chunked(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
