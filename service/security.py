"""Headers on every answer: security policy, CORS for reads, and how long caches may keep it.

CORS covers reads only (GET and HEAD, with their preflight): writes carry bearer tokens and are
meant for the CLI and scripts, never for a page on another origin.
"""

import base64
import hashlib
import os
import re

from flask import Flask, Response, request

READS = ("GET", "HEAD")
EXPOSED = "ETag, Link, Last-Modified, X-Request-Id"
# Request headers a cross-origin reader may send: revalidation and negotiation.
ALLOWED_REQUEST_HEADERS = "Accept, If-None-Match, If-Modified-Since, X-Request-Id"
# /<kind>/<id>/versions/<n> never changes once written.
PERMANENT = re.compile(r"^/[a-z]+/[^/]+/versions/\d+$")
IMMUTABLE = "public, max-age=31536000, immutable"
INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)

BASE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'{scripts}; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors {ancestors}"
)


def allowed_origin(origins: str) -> str | None:
    """The Access-Control-Allow-Origin value for this request, or None when not allowed."""
    if origins.strip() == "*":
        return "*"
    origin = request.headers.get("Origin")
    listed = {o.strip().rstrip("/") for o in origins.split(",") if o.strip()}
    return origin if origin and origin.rstrip("/") in listed else None


def script_hashes(response: Response, docs_path: str) -> str:
    """CSP hashes of the Swagger UI page's inline script, so it runs without unsafe-inline.

    Only that page, whose script is the library's own: hashing scripts on pages that render
    stored content would also approve any script injected through that content.
    """
    if request.path != docs_path or response.mimetype != "text/html" or response.is_streamed:
        return ""
    hashes = (
        hashlib.sha256(script).digest() for script in INLINE_SCRIPT.findall(response.get_data())
    )
    return "".join(f" 'sha256-{base64.b64encode(digest).decode()}'" for digest in hashes)


def add_policy(response: Response, docs_path: str) -> None:
    embed = request.path.startswith("/embed/")
    ancestors = "*" if embed else "'none'"
    response.headers["Content-Security-Policy"] = BASE_POLICY.format(
        scripts=script_hashes(response, docs_path), ancestors=ancestors
    )
    if not embed:  # wikis frame /embed/ pages; nothing else may be framed
        response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    # Reads are public data meant to be embedded elsewhere; anything else stays same-origin.
    is_read = request.method in READS and response.status_code < 400
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin" if is_read else "same-origin"


def add_cors(response: Response, origins: str) -> None:
    if origins.strip() != "*":
        response.vary.add("Origin")
    # A preflight is answered for reads only (see preflight); other methods get no grant.
    granted = "Access-Control-Allow-Methods" in response.headers
    if request.method not in READS and not granted:
        return
    origin = allowed_origin(origins)
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = EXPOSED


def add_cache_control(response: Response) -> None:
    """no-store for writes and errors, immutable for permanent URLs, revalidate otherwise."""
    if request.method not in READS or response.status_code >= 400:
        response.headers["Cache-Control"] = "no-store"
    elif "Cache-Control" in response.headers:
        return  # the view knows better (releases are immutable, health is never cached)
    elif PERMANENT.match(request.path) and response.mimetype != "text/html":
        # Not the HTML page: it also says which version is now the latest.
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = "no-cache"


def preflight() -> Response | None:
    """Answer a CORS preflight on a route; refused (no grant) unless it asks for a read."""
    wanted = request.headers.get("Access-Control-Request-Method")
    if request.method != "OPTIONS" or wanted is None or request.url_rule is None:
        return None  # not a preflight, or no such route: Flask answers as usual
    response = Response(status=204)
    if wanted.upper() in READS:
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_REQUEST_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def register(app: Flask) -> None:
    app.config.setdefault("CORS_ORIGINS", os.environ.get("FRAMINGS_CORS_ORIGINS", "*"))
    app.before_request(preflight)
    docs_path = (
        app.config.get("OPENAPI_URL_PREFIX", "/").rstrip("/")
        + "/"
        + app.config.get("OPENAPI_SWAGGER_UI_PATH", "docs").strip("/")
    )

    @app.after_request
    def secure(response: Response) -> Response:
        origins = app.config["CORS_ORIGINS"]
        add_policy(response, docs_path)
        add_cors(response, origins)
        add_cache_control(response)
        return response
