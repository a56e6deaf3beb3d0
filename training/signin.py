"""Signing in to a session by scanning the QR code shown in the room, or typing its short code.

The code is an HMAC of the session's code and the current time step (TRAINING_QR_STEP_SECONDS,
25 s by default): the projector shows a new one every step, and the current and the previous
step are accepted, so a scan near the end of a step still works while a photo sent home soon
stops working. Codes work only inside the session's window (a few minutes before the start
until its end).

Moodle's rotating codes lock out a student who reopens the page after the code changed (or
who had to log in first). Here a valid scan leaves a *pass* in the visitor's session that lasts
until the session's window closes: logging in keeps it (Django keeps session data across
login), and reopening the page signs in with it; a teacher already signed in is simply told so.
Signing in always needs the teacher's own login: the attendance line is the logged-in user's.
"""

import datetime
import hashlib
import hmac

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .ledger import attendance_record
from .models import CODE_ALPHABET, Attendance, Session

OPENS_BEFORE = datetime.timedelta(minutes=15)
LATE_AFTER = datetime.timedelta(minutes=10)
SHORT_CODE_LENGTH = 6
CLOCK_SKEW = datetime.timedelta(seconds=20)  # a phone's clock may run this much ahead
PASSES = "training_signin_passes"  # request.session key: session code -> window end (ISO)


def step_seconds() -> int:
    return max(5, int(settings.TRAINING_QR_STEP_SECONDS))


def step_at(now: datetime.datetime) -> int:
    return int(now.timestamp()) // step_seconds()


def _digest(session: Session, step: int) -> bytes:
    message = f"training-signin:{session.code}:{step}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()


def token_for(session: Session, step: int) -> str:
    """The token in the QR code's link."""
    return _digest(session, step)[:10].hex()


def short_code_for(session: Session, step: int) -> str:
    """Six characters to type when the camera will not scan (no 0/O, 1/I/L)."""
    digest = _digest(session, step)
    return "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[-SHORT_CODE_LENGTH:])


def window(session: Session) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(session.date, session.starts_at, tzinfo=tz)
    end = datetime.datetime.combine(session.date, session.ends_at, tzinfo=tz)
    return start - OPENS_BEFORE, end


def is_open(session: Session, now: datetime.datetime) -> bool:
    opens, closes = window(session)
    return session.is_published and opens <= now <= closes


def seconds_left(now: datetime.datetime) -> int:
    return step_seconds() - int(now.timestamp()) % step_seconds()


def _steps(now: datetime.datetime) -> tuple[int, int]:
    current = step_at(now)
    return current, current - 1


def token_is_valid(session: Session, token: str, now: datetime.datetime) -> bool:
    if not is_open(session, now):
        return False
    return any(hmac.compare_digest(token_for(session, s), token or "") for s in _steps(now))


def session_for_short_code(code: str, now: datetime.datetime) -> Session | None:
    """The open session whose short code this is: only today's sessions open now are tried."""
    code = (code or "").strip().upper()
    if len(code) != SHORT_CODE_LENGTH:
        return None
    for session in Session.objects.published().filter(date=timezone.localdate(now)):
        if is_open(session, now) and any(
            hmac.compare_digest(short_code_for(session, s), code) for s in _steps(now)
        ):
            return session
    return None


def grant_pass(request_session, session: Session) -> None:
    passes = dict(request_session.get(PASSES, {}))
    passes[session.code] = window(session)[1].isoformat()
    request_session[PASSES] = passes


def has_pass(request_session, session: Session, now: datetime.datetime) -> bool:
    until = request_session.get(PASSES, {}).get(session.code)
    return bool(until) and now <= datetime.datetime.fromisoformat(until) and is_open(session, now)


def sign_in(*, session: Session, teacher, by, now: datetime.datetime) -> tuple[Attendance, bool]:
    """The teacher's line: present, or late after the first minutes. Signing in again, or
    after the organiser marked the line, changes nothing."""
    if not is_open(session, now):
        raise ValidationError(_("Sign-in for this session is closed."))
    if not session.programme.enrolments.filter(teacher=teacher).exists():
        raise ValidationError(_("You are not enrolled in this programme."))
    start = window(session)[0] + OPENS_BEFORE
    status = Attendance.Status.LATE if now > start + LATE_AFTER else Attendance.Status.PRESENT
    return attendance_record(
        session=session,
        teacher=teacher,
        status=status,
        method=Attendance.Method.QR,
        by=by,
        signed_in_at=now,
        keep_better=True,
    )


def scan_time(raw: str) -> datetime.datetime | None:
    """The phone's scan time as it sends it (ISO 8601 with its offset), or None."""
    try:
        value = datetime.datetime.fromisoformat((raw or "").strip())
    except ValueError:
        return None
    return value if timezone.is_aware(value) else None


def offline_sign_in(
    *,
    session: Session,
    teacher,
    by,
    token: str,
    scanned_at: datetime.datetime,
    now: datetime.datetime,
) -> tuple[Attendance, bool]:
    """A scan the phone kept while offline and sends later. It counts as a sign-in at the scan
    time only if the code scanned was the one shown then (its token is valid for that time
    step), the scan time is not later than this request, and it falls in the session's
    window; the attendance line is still the logged-in teacher's."""
    if now < scanned_at <= now + CLOCK_SKEW:
        scanned_at = now  # the phone's clock runs a little ahead: the request's time counts
    if scanned_at > now:
        raise ValidationError(
            _("The scan time is later than now: check the date and time of your phone.")
        )
    if not is_open(session, scanned_at):
        raise ValidationError(_("The code was scanned outside the sign-in time of this session."))
    if not token_is_valid(session, token, scanned_at):
        raise ValidationError(
            _("The code had expired when it was scanned. Scan the code on the screen again.")
        )
    return sign_in(session=session, teacher=teacher, by=by, now=scanned_at)


def qr_svg(data: str) -> str:
    """The QR code as inline SVG (drawn on the server: no script, no outside service)."""
    return segno.make(data, error="m").svg_inline(scale=8, border=2, omitsize=True)
