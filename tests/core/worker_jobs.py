"""Test-only job kinds, imported by the real Celery worker that tests start (see
config/settings/test_worker.py, GUGAN_WORKER_IMPORTS) and by the tests that submit them."""

import os
import time
from pathlib import Path

from core.jobs import JobContext, job_handler


@job_handler("test_blocking")
def blocking(ctx: JobContext) -> None:
    """Starts, then waits while the file ``hold`` exists in ``params["folder"]``; then writes
    its side effect (a line in ``writes.log``) and its file. Each start leaves a marker."""
    folder = Path(ctx.params["folder"])
    ctx.set_total(3)
    ctx.advance(text="1 / 3")
    (folder / f"started-{os.getpid()}-{ctx.job.attempts}").touch()
    while (folder / "hold").exists():
        time.sleep(0.05)
    ctx.advance(text="2 / 3")
    with (folder / "writes.log").open("a") as log:
        log.write(f"{ctx.job.pk}\n")
    ctx.output_path("result.txt").write_text("ok", encoding="utf-8")
    ctx.advance()
