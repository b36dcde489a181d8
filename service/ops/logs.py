"""Structured logs: one JSON object per line, for gunicorn's own logs and the application's.

`GunicornLogger` is gunicorn's `logger_class` (gunicorn.conf.py): its access log line is built
with json.dumps rather than a format string, since gunicorn only escapes double quotes and a
path may hold backslashes or control characters. Application records (the `service` loggers
and anything else on the root logger) go to stderr as JSON with the request id when there is
one. Headers are never logged, and bearer tokens are masked in any message that holds one.
"""

import json
import logging
import re
import sys
from datetime import UTC, datetime

from gunicorn.glogging import Logger

from service.ops import request_id

SECRET = re.compile(r"(?i)(bearer\s+)\S+|\bfr_[A-Za-z0-9_-]{8,}")


def redact(text: str) -> str:
    return SECRET.sub(lambda m: (m.group(1) or "") + "[redacted]", text)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """A record as {"time", "level", "logger", "message", "request_id"?, "exception"?}."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": utc_now(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        rid = request_id.current()
        if rid is not None:
            entry["request_id"] = rid
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class PassThrough(logging.Formatter):
    """The access log's message is already a JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        return record.getMessage()


def configure_app_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr for every logger that propagates to the root."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)


def header(headers, name: str) -> str | None:
    """A response header from gunicorn's list of (name, value) pairs."""
    name = name.lower()
    return next((value for key, value in headers if key.lower() == name), None)


def access_entry(resp, environ: dict, request_time) -> dict:
    """One access log line: what was asked, what was answered, how long it took."""
    return {
        "time": utc_now(),
        "request_id": header(resp.headers, request_id.HEADER),
        "method": environ.get("REQUEST_METHOD"),
        "path": environ.get("PATH_INFO"),
        "query": environ.get("QUERY_STRING") or None,
        "status": int(str(resp.status).split(None, 1)[0]),
        "duration_ms": round(request_time.total_seconds() * 1000, 3),
        "bytes": getattr(resp, "sent", None),
        "remote": environ.get("REMOTE_ADDR"),
    }


class GunicornLogger(Logger):
    """gunicorn's logger with JSON lines for its error log, its access log and the app."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())
        for handler in self.access_log.handlers:
            handler.setFormatter(PassThrough())
        configure_app_logging(self.loglevel)

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        try:
            self.access_log.info(json.dumps(access_entry(resp, environ, request_time)))
        except Exception:  # a log line must never cost the client its answer
            self.error_log.exception("could not write the access log line")
