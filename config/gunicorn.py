"""gunicorn settings for Gugan in production, `make bench` and `make load`.

    gunicorn -c config/gunicorn.py config.wsgi:application

Sync workers, one per core plus one (override with WEB_CONCURRENCY). After start-up every worker
freezes the objects it has imported (``gc.freeze()``): the garbage collector then no longer
walks Django's import-time objects on every full collection, which took 80–90 ms in a warm
worker and landed in the slow requests. Set GUNICORN_GC_LOG=1 to log each collection's pause
(generation, milliseconds) to stderr: how the freeze was measured."""

import gc
import multiprocessing
import os
import sys
import time

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# Restart a worker now and then so memory stays flat; jitter keeps them from restarting together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in ("1", "true", "yes")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")

GC_FREEZE = os.environ.get("GUNICORN_GC_FREEZE", "true").lower() in ("1", "true", "yes")
GC_LOG = os.environ.get("GUNICORN_GC_LOG", "").lower() in ("1", "true", "yes")


def freeze_garbage() -> int:
    """Collect once, then move every surviving object into the permanent generation; returns
    how many objects the collector will no longer walk."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def log_gc_pauses(stream=sys.stderr):
    """Write `gc gen=<n> ms=<pause>` for every collection of this process."""
    started = {}

    def callback(phase, info):
        if phase == "start":
            started["t"] = time.perf_counter()
        elif "t" in started:
            ms = (time.perf_counter() - started.pop("t")) * 1000
            stream.write(f"gc pid={os.getpid()} gen={info['generation']} ms={ms:.1f}\n")

    gc.callbacks.append(callback)
    return callback


def post_fork(server, worker):
    if GC_FREEZE:
        frozen = freeze_garbage()
        server.log.info("worker %s froze %s objects", worker.pid, frozen)
    if GC_LOG:
        log_gc_pauses()
