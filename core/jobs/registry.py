"""The handler of each job kind, registered with @job_handler."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..models import Job

if TYPE_CHECKING:
    from .context import JobContext

Handler = Callable[["JobContext"], None]
_HANDLERS: dict[str, Handler] = {}
# Kinds whose finished job cannot simply be made again (an import reads an upload once).
_NOT_REGENERABLE: set[str] = set()


class JobError(Exception):
    """A failure whose message the user should read (e.g. "font missing")."""


def job_handler(kind: str, *, regenerable: bool = True):
    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        if not regenerable:
            _NOT_REGENERABLE.add(kind)
        return func

    return register


def job_regenerable(job: Job) -> bool:
    return job.kind not in _NOT_REGENERABLE
