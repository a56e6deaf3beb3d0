"""An honest progress bar over one WeasyPrint run (the combined batch of dossiers)."""

import contextlib
import logging
import threading
import time

from django.utils.translation import gettext as _

from core.jobs import JobContext

# The combined PDF is laid out by one WeasyPrint run, so the contents page (target-counter) and
# the footer ("page 3 of 562") number the whole volume. That run is most of the job's time:
# measured on 20 teachers (118 pages), printing costs about 12 times gathering the data, and of
# the printing about 25 % goes to preparing the layout (styles, boxes), 45 % to laying out the
# pages, 15 % to numbering them (footers, contents) and 15 % to writing the PDF. The bar gives
# each part its share; the layout part moves page by page, counted from WeasyPrint's progress
# log, against an estimate of the page count. These are proportions of time, not promises: the
# step text says what is really happening.
PRINT_UNITS_PER_TEACHER = 12
PREPARE_SHARE, LAYOUT_SHARE, NUMBERING_SHARE = 25, 45, 15  # percent; writing gets the rest
PROGRESS_WRITE_INTERVAL = 0.5  # seconds between two progress writes while laying out


def expected_pages(html: str, *, teachers: int) -> int:
    """About how many pages the combined PDF will have (fitted on bench data: a page per
    1,000 characters of HTML body, each dossier starts on a new page, cover and contents)."""
    body = html.split("<body>", 1)[-1]
    return 2 + round(1.2 * teachers + len(body) / 1000)


class PrintProgress:
    """Moves the bar through the printing share as WeasyPrint reports its steps."""

    def __init__(self, ctx: JobContext, *, teachers: int, pages: int):
        self.ctx, self.teachers, self.expected = ctx, teachers, max(pages, 1)
        units = teachers * PRINT_UNITS_PER_TEACHER
        self.start = ctx.job.progress
        self.prepare = units * PREPARE_SHARE // 100
        self.layout = units * LAYOUT_SHARE // 100
        self.numbering = units * NUMBERING_SHARE // 100
        self.pages = 0
        self._written_at = 0.0
        ctx.set_step(_("Preparing the layout of %(total)s teachers") % {"total": teachers})

    def on_log(self, message: str, args: tuple) -> None:
        laid_out = self.prepare + self.layout
        if message == "Step 5 - Creating layout - Page %d" and args:
            self._page(int(args[0]))
        elif message.startswith("Step 5 - Creating layout - Repagination"):
            self._move_to(laid_out, _("Numbering the pages"), force=True)
        elif message.startswith("Step 6"):
            text = _("Writing the PDF: %(pages)s pages") % {"pages": self.pages}
            self._move_to(laid_out + self.numbering, text, force=True)

    def _page(self, number: int) -> None:
        if number <= self.pages:
            return  # a second pass over a page whose numbers changed (the contents)
        self.pages = number
        done = self.prepare + self.layout * min(number, self.expected) // self.expected
        if number <= self.expected:
            text = _("Laying out page %(page)s of about %(pages)s") % {
                "page": number,
                "pages": self.expected,
            }
        else:
            text = _("Laying out page %(page)s") % {"page": number}
        self._move_to(done, text, force=number == 1)

    def _move_to(self, done: int, text: str, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._written_at < PROGRESS_WRITE_INTERVAL:
            return
        self._written_at = now
        self.ctx.advance(max(0, self.start + done - self.ctx.job.progress), text=text)


_progress_lock = threading.Lock()
_progress_listeners: list[logging.Handler] = []
_progress_saved: tuple[int, bool] = (logging.WARNING, True)


class _ThisThread(logging.Handler):
    """Hands WeasyPrint's progress records of one thread (one job) to a callback."""

    def __init__(self, callback):
        super().__init__(level=logging.INFO)
        self.thread = threading.get_ident()
        self.callback = callback

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.callback(str(record.msg), record.args or ())


@contextlib.contextmanager
def weasyprint_progress(callback):
    """Let ``callback(message, args)`` see WeasyPrint's progress log of this thread. Only
    these handlers see it: sending those INFO lines to the console made a dossier three times
    slower (docs/BENCHMARKS.md). Other threads' jobs may listen at the same time."""
    global _progress_saved
    logger = logging.getLogger("weasyprint.progress")
    handler = _ThisThread(callback)
    with _progress_lock:
        if not _progress_listeners:
            _progress_saved = (logger.level, logger.propagate)
            logger.setLevel(logging.INFO)
            logger.propagate = False
        _progress_listeners.append(handler)
        logger.addHandler(handler)
    try:
        yield
    finally:
        with _progress_lock:
            logger.removeHandler(handler)
            _progress_listeners.remove(handler)
            if not _progress_listeners:
                logger.setLevel(_progress_saved[0])
                logger.propagate = _progress_saved[1]
