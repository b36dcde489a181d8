"""Gunicorn settings for Framings (make run, the Dockerfile and the end-to-end tests)."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8080')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = "-"
wsgi_app = "service.wsgi:app"


def on_starting(server):
    """Create the database from fixtures once, in the master, before any worker serves."""
    from service.cli import main

    main(["init"])
