"""What the OpenAPI document says beyond the schemas: the limits, and the text representations.

The document must describe what the server really answers (tests/test_schemathesis.py holds it
to that), so reads that take ?format= also list their Markdown, HTML and CSV forms.
"""

from apispec import BasePlugin

from schemas.query import MAX_PAGE
from service.limits import DEFAULT_LIMIT, MAX_JSON_DEPTH
from service.meta import API_DESCRIPTION
from service.score_routes import BATCH_LIMIT

LIMITS = (
    "Limits: a request body may be at most 1 MiB (larger is a 413) and nest JSON at most "
    f"{MAX_JSON_DEPTH} levels deep (deeper is a 400); `POST /score/batch` takes at most "
    f"{BATCH_LIMIT:,} controls (more is a 422); list pages hold at most {MAX_PAGE} items "
    f"(`limit`); each bearer token may write {DEFAULT_LIMIT.replace('/', ' times a ')} unless "
    "configured otherwise (more is a 429 with `Retry-After` in seconds)."
)
TEXT_FORMATS = {
    "text/markdown": "Markdown for a wiki (?format=md or Accept: text/markdown)",
    "text/html": "A page for a browser (?format=html or Accept: text/html)",
    "text/csv": "A table, for lists (?format=csv or Accept: text/csv)",
}


# Paths that negotiate by Accept alone, with no ?format= (the index is HTML to a browser).
NEGOTIATED_PATHS = {"/"}


def negotiates(path: str, operation: dict) -> bool:
    return path in NEGOTIATED_PATHS or any(
        p.get("in") == "query" and p.get("name") == "format"
        for p in operation.get("parameters", [])
    )


class RepresentationsPlugin(BasePlugin):
    """Lists the text forms wherever ?format= is taken (a form an answer lacks is a 406)."""

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        for operation in (operations or {}).values():
            responses = operation.get("responses", {}) if negotiates(path, operation) else {}
            ok = responses.get(200, responses.get("200"))  # keys become strings only later
            if not isinstance(ok, dict) or "content" not in ok:
                continue
            for mimetype, description in TEXT_FORMATS.items():
                ok["content"].setdefault(
                    mimetype, {"schema": {"type": "string", "description": description}}
                )


def spec_kwargs() -> dict:
    return {
        "info": {"description": f"{API_DESCRIPTION}\n\n{LIMITS}"},
        "extra_plugins": [RepresentationsPlugin()],
    }
