"""Headers on every answer: security policy, CORS for reads, and how long caches may keep it.

CORS covers reads only (GET and HEAD, with their preflight): writes carry bearer tokens and are
meant for the CLI and scripts, never for a page on another origin.

Every answer gets these headers, so the after-request hook is on the hot path of every request:
the policies are formatted once per process and added in one pass (bench/README.md).
"""

import base64
import hashlib
import re
from functools import lru_cache

from flask import Flask, Response, request

from service import config

READS = ("GET", "HEAD")
EXPOSED = "ETag, Link, Last-Modified, X-Request-Id"
# Request headers a cross-origin reader may send: negotiation, and every precondition a read
# honours (If-Match and If-Unmodified-Since make a read a 412 when they do not hold).
ALLOWED_REQUEST_HEADERS = (
    "Accept, If-None-Match, If-Modified-Since, If-Match, If-Unmodified-Since, X-Request-Id"
)
# /<kind>/<id>/versions/<n> never changes once written.
PERMANENT = re.compile(r"^/[a-z]+/[^/]+/versions/\d+$")
IMMUTABLE = "public, max-age=31536000, immutable"
INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)

BASE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'{scripts}; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors {ancestors}"
)
# The policy of every page but the API docs page (which adds its script's hash): framed by
# nobody, or by anybody under /embed/.
FRAMED_BY_NONE = BASE_POLICY.format(scripts="", ancestors="'none'")
FRAMED_BY_ANY = BASE_POLICY.format(scripts="", ancestors="*")


def policy_headers(policy: str, embed: bool, is_read: bool) -> tuple[tuple[str, str], ...]:
    """The policy headers of one answer, in the order they are set."""
    return (
        ("Content-Security-Policy", policy),
        *(() if embed else (("X-Frame-Options", "DENY"),)),  # wikis frame /embed/ pages only
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        # Reads are public data meant to be embedded elsewhere; anything else stays same-origin.
        ("Cross-Origin-Resource-Policy", "cross-origin" if is_read else "same-origin"),
    )


def cors_grant(origin: str | None) -> tuple[tuple[str, str], ...]:
    if origin is None:
        return ()
    return (("Access-Control-Allow-Origin", origin), ("Access-Control-Expose-Headers", EXPOSED))


@lru_cache(maxsize=64)
def usual_headers(
    embed: bool, is_read: bool, origin: str | None, cache: str | None, body: bool = True
) -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    """Every header `secure` sets on an answer with no script hashes, and their names in lower
    case: built once per combination rather than once per answer. Without a `body` (a 304)
    there is nothing for the policies to govern (see secure_answer)."""
    policy = FRAMED_BY_ANY if embed else FRAMED_BY_NONE
    pairs = (
        *(policy_headers(policy, embed, is_read) if body else ()),
        *cors_grant(origin),
        *((("Cache-Control", cache),) if cache is not None else ()),
    )
    return pairs, frozenset(name.lower() for name, _ in pairs)


@lru_cache(maxsize=16)
def listed_origins(origins: str) -> frozenset[str]:
    """The configured CORS_ORIGINS as a set (parsed once per distinct setting)."""
    return frozenset(o.strip().rstrip("/") for o in origins.split(",") if o.strip())


def allowed_origin(origins: str) -> str | None:
    """The Access-Control-Allow-Origin value for this request, or None when not allowed."""
    if origins.strip() == "*":
        return "*"
    origin = request.headers.get("Origin")
    return origin if origin and origin.rstrip("/") in listed_origins(origins) else None


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


def present_names(response: Response) -> set[str]:
    """The names of the headers the answer has, in lower case (header names ignore case)."""
    return {name.lower() for name, _ in response.headers}


def set_all(response: Response, pairs, names=None, present: set[str] | None = None) -> None:
    """response.headers[name] = value for each pair in order.

    Setting a header that is absent appends it, so when none is set yet (`present`: the names
    the answer has; `names`: those of the pairs, all in lower case), appending them all in
    one call gives the same list.
    """
    headers = response.headers
    if names is None:
        names = {name.lower() for name, _ in pairs}
    if present is None:
        present = present_names(response)
    if present.isdisjoint(names):
        headers.extend(pairs)
    else:
        for name, value in pairs:
            headers[name] = value


def pinned_to_a_release() -> bool:
    """The read names a release (`?release=`): what it sees was frozen when the release was
    made, so its answer never changes (an unknown release is a 422, never cached)."""
    return "release=" in request.environ.get("QUERY_STRING", "") and bool(
        request.args.get("release")
    )


def cache_control(response: Response, method: str, path: str, has_one: bool) -> str | None:
    """no-store for writes and errors, immutable for permanent URLs and release-pinned reads,
    revalidate otherwise.

    None when the view set Cache-Control itself (`has_one`) and knows better (releases are
    immutable, health is never cached).
    """
    if method not in READS or response.status_code >= 400:
        return "no-store"
    if has_one:
        return None
    if response.mimetype != "text/html" and (PERMANENT.match(path) or pinned_to_a_release()):
        # Not the HTML page: it also says which version is now the latest.
        return IMMUTABLE
    return "no-cache"


def secure_answer(response: Response, docs_path: str, origins: str) -> None:
    """Add the policy headers, the CORS grant (reads only) and Cache-Control, in that order.

    A preflight is answered for reads only (see preflight); other methods get no grant. A 304
    gets no policy headers: it has no content for them to govern, and a cache that updates
    its stored answer from a 304 keeps the stored ones (RFC 9111 4.3.4); RFC 9110 15.4.5 asks
    a 304 for the fields that guide caches (ETag, Vary, Cache-Control...), and CORS keeps its
    grant so a cross-origin revalidation is readable.
    """
    method = request.method
    path = request.path
    present = present_names(response)
    embed = path.startswith("/embed/")
    is_read = method in READS and response.status_code < 400
    granted = method in READS or "access-control-allow-methods" in present
    cache = cache_control(response, method, path, "cache-control" in present)
    scripts = script_hashes(response, docs_path) if path == docs_path else ""
    body = response.status_code != 304
    if origins == "*" and not scripts:  # the usual case: one lookup, one pass
        pairs, names = usual_headers(embed, is_read, "*" if granted else None, cache, body)
        set_all(response, pairs, names, present)
        return
    ancestors = "*" if embed else "'none'"
    if body:
        policy = BASE_POLICY.format(scripts=scripts, ancestors=ancestors)
        set_all(response, policy_headers(policy, embed, is_read))
    if origins.strip() != "*":
        response.vary.add("Origin")
    grant = cors_grant(allowed_origin(origins) if granted else None)
    set_all(response, (*grant, *((("Cache-Control", cache),) if cache is not None else ())))


def preflight() -> Response | None:
    """Answer a CORS preflight on a route; refused (no grant) unless it asks for a read."""
    if request.method != "OPTIONS":
        return None  # not a preflight: Flask answers as usual
    wanted = request.headers.get("Access-Control-Request-Method")
    if wanted is None or request.url_rule is None:
        return None  # not a preflight, or no such route: Flask answers as usual
    response = Response(status=204)
    if wanted.upper() in READS:
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_REQUEST_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def register(app: Flask) -> None:
    app.config.setdefault("CORS_ORIGINS", config.cors_origins())
    app.before_request(preflight)
    docs_path = (
        app.config.get("OPENAPI_URL_PREFIX", "/").rstrip("/")
        + "/"
        + app.config.get("OPENAPI_SWAGGER_UI_PATH", "docs").strip("/")
    )

    @app.after_request
    def secure(response: Response) -> Response:
        secure_answer(response, docs_path, app.config["CORS_ORIGINS"])
        return response
