"""What a handler gets while it runs: the job, its progress bar, a place for its file."""

import tempfile
from pathlib import Path

from django.utils import timezone
from django.utils.functional import cached_property

from ..files import safe_filename
from ..models import Job


class JobContext:
    """What a handler gets: the job, a progress callback and a place to put its file."""

    def __init__(self, job: Job):
        self.job = job
        self.params = job.params
        self._workdir = Path(tempfile.mkdtemp(prefix=f"job{job.pk}-"))
        self.output: Path | None = None

    @cached_property
    def audience(self):
        """Who may download this job's file (core.job_files)."""
        from ..job_files import FileAudience

        return FileAudience.for_job(self.job)

    @cached_property
    def viewer(self):
        """The requester as the file must be computed: narrowed to the job's owner. The scope
        is applied again at run time, so a role withdrawn meanwhile shrinks or stops the file."""
        return self.audience.viewer()

    @property
    def owner_name(self) -> str:
        """The name of the school or district the file is filed under ('' for neither): the
        first part of the file's name."""
        owner = self.job.school or self.job.district
        return owner.name if owner else ""

    def _save(self, **fields) -> None:
        # Every progress write is a sign of life too.
        Job.objects.filter(pk=self.job.pk).update(heartbeat_at=timezone.now(), **fields)

    def set_total(self, total: int) -> None:
        self.job.total = total
        self._save(total=total)

    def advance(self, step: int = 1, *, text: str | None = None) -> None:
        """Move the bar; ``text`` is the current step users read ("12 / 80 teachers")."""
        self.job.progress += step
        fields = {"progress": self.job.progress}
        if text is not None:
            self.job.step = fields["step"] = text[:200]
        self._save(**fields)

    def set_step(self, text: str) -> None:
        self.job.step = text[:200]
        self._save(step=self.job.step)

    def advance_to(self, done: int) -> None:
        """Move the bar to ``done`` (a handler that counts its own rows)."""
        if done > self.job.progress:
            self.advance(done - self.job.progress)

    def set_outcome(self, **outcome) -> None:
        """What the job page shows besides a file (JSON values), kept when the job fails."""
        self.job.outcome = outcome
        self._save(outcome=outcome)

    def output_path(self, filename: str) -> Path:
        """Where to write the job's file; ``filename`` may come from user text (a name)."""
        self.output = self._workdir / safe_filename(filename)
        return self.output
