"""Gunicorn settings for Framings (make run, the Dockerfile, the end-to-end tests and bench/)."""

import os

from service import config as framings_config


def cpu_count() -> int:
    """CPUs this process may run on (a container's cpuset, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = framings_config.bind()
# Sync workers, one request at a time each. Requests are short and CPU-bound (SQLite reads,
# scoring), so one per CPU plus one to cover a worker waiting on its socket: on 2 CPUs, 3
# workers served reads 12% faster than gunicorn's usual 2 × CPUs + 1 (bench/README.md).
workers = framings_config.workers(cpu_count() + 1)
timeout = 30  # a worker silent this long is killed and replaced (no request takes near it)
graceful_timeout = 20  # on SIGTERM, requests in flight get this long to finish
keepalive = 5
# Logs: JSON lines, the access log on stdout, gunicorn's and the application's on stderr,
# each access line with the request id that the answer carries as X-Request-Id.
accesslog = "-"
errorlog = "-"
loglevel = framings_config.log_level()
logger_class = "service.ops.logs.GunicornLogger"
wsgi_app = "service.wsgi:app"
# gunicorn 27 opens a control socket at one fixed path per user: several servers on one
# machine (tests, bench/) would fight over it, and nothing here uses it.
control_socket_disable = True


def on_starting(server):
    """Create the database from fixtures once, in the master, before any worker serves."""
    from service.client.cli import main

    if framings_config.replica_of():
        return  # a replica serves downloaded release snapshots and keeps no database of its own
    if main(["init"]) != 0:
        raise SystemExit("framings init failed; not serving a model that did not load")
