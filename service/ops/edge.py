"""The edge: everything a request carries as text is checked here once, before any view reads it.

- One text-safety check (`text_errors`): text that cannot be stored in SQLite, hashed or
  written back as UTF-8 (a lone surrogate, what a JavaScript client sends after cutting text
  inside an emoji, or a JSON integer past Python's 4,300-digit limit) is a 422 naming where it
  was: `query.<name>`, `headers.<Name>`, or the JSON path of the value or key.
- One JSON decoder (`decode_json`): every way a body can fail to decode (not UTF-8, not JSON,
  an integer too long to read) is a 400 or 422 problem naming the place, never a 500. The
  decoded document is what every view then reads (request.get_json and the schemas' parser).
- One rule for body media types (`check_body_type`): a POST or PUT body is JSON
  (`application/json`, UTF-8), a PATCH body a JSON Merge Patch
  (`application/merge-patch+json`); anything else is a 415 naming the type to send.
  `OPTIONS` and PATCH's 415 carry `Accept-Patch`.
- Header text (`header_text`): the headers the API stores (X-Change-Note, Slug,
  Idempotency-Key) are read as UTF-8, or in the RFC 8187 form `UTF-8''<percent-encoded>` for
  clients that can only send ASCII; bytes that are not UTF-8 are a 422, never mojibake.

In /score/batch, a bad value inside one control fails only that control (see PER_MEMBER).
"""

import json
import re
from urllib.parse import unquote_to_bytes

import orjson
from flask import Flask, Response, request
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest import abort
from webargs.flaskparser import FlaskParser
from werkzeug.routing import IntegerConverter

from service.ops.limits import read_body, too_deep
from service.web.errors import FORM_ENDPOINTS

SURROGATE = re.compile("[\ud800-\udfff]")
MAX_INT_DIGITS = 4300  # Python's integer-string conversion limit (sys.get_int_max_str_digits)
JSON_TYPE = "application/json"
MERGE_PATCH_TYPE = "application/merge-patch+json"
BODY_METHODS = ("POST", "PUT", "PATCH")
# Endpoints that answer each member of one object on its own: a bad value inside a member is
# that member's failure (the view checks it with text_errors), not the whole request's.
PER_MEMBER = {"score.score_batch": "controls"}
RFC8187 = re.compile(r"^utf-8''", re.I)


class TooLongInteger:
    """Where the decoder met an integer of more digits than Python will read."""

    def __init__(self, digits: int):
        self.digits = digits


def printable(text: str) -> str:
    """`text` with each lone surrogate written as its escape, so an error can name it."""
    return SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def unsafe(text: str) -> bool:
    return not text.isascii() and SURROGATE.search(text) is not None


def text_errors(value, path: str = "", skip: str | None = None) -> dict[str, list[str]]:
    """Every value or key in a decoded document that cannot be stored, by its dotted path.

    `skip`: a top-level member whose own members are left to the view (PER_MEMBER).
    """
    try:  # orjson refuses a lone surrogate (in a value or a name) and a TooLongInteger: when
        orjson.dumps(value)  # it takes the whole document there is nothing to report, and
        return {}  # that is found in about a tenth of the walk's time
    except TypeError:
        pass
    errors: dict[str, list[str]] = {}

    def walk(item, where: str, top: bool) -> None:
        if isinstance(item, str):
            if unsafe(item):
                errors[where or "_"] = [
                    "Text holding a lone surrogate (half of a UTF-16 pair) cannot be stored; "
                    "send whole characters."
                ]
        elif isinstance(item, TooLongInteger):
            errors[where or "_"] = [
                f"An integer of {item.digits:,} digits; at most {MAX_INT_DIGITS:,} are read."
            ]
        elif isinstance(item, dict):
            for key, member in item.items():
                here = f"{where}.{printable(key)}" if where else printable(key)
                if unsafe(key):
                    errors[here] = ["A member name holding a lone surrogate cannot be stored."]
                    continue
                if top and key == skip and isinstance(member, dict):
                    for name in member:  # the names are the answer's keys: checked here
                        if unsafe(name):
                            errors[f"{here}.{printable(name)}"] = [
                                "A member name holding a lone surrogate cannot be stored."
                            ]
                    continue
                walk(member, here, False)
        elif isinstance(item, list):
            for index, member in enumerate(item):
                walk(member, f"{where}.{index}" if where else str(index), False)

    walk(value, path, True)
    return errors


def too_long_integer(text: str) -> TooLongInteger | int:
    return TooLongInteger(len(text.lstrip("-"))) if len(text) > MAX_INT_DIGITS else int(text)


def decode_json(data: bytes, skip: str | None = None):
    """The one JSON decoder: UTF-8 JSON text to Python, or a 400/422 problem naming where."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        abort(
            400,
            message=f"The body is not UTF-8 (byte {error.start} cannot start or continue a "
            "character); JSON bodies are UTF-8.",
            errors={"body": [f"Not UTF-8 at byte {error.start}."]},
            type="malformed-body",
        )
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        abort(
            400,
            message=f"The body is not JSON: {error.msg} at line {error.lineno}, column "
            f"{error.colno}.",
            errors={"body": [f"{error.msg} (line {error.lineno}, column {error.colno})."]},
            type="malformed-body",
        )
    except RecursionError:
        abort(400, message="The JSON body nests too deeply to read.", type="malformed-body")
    except ValueError:  # an integer past the digit limit; read again to say where
        document = json.loads(text, parse_int=too_long_integer)
    errors = text_errors(document, skip=skip) if needs_walk(data, document) else {}
    if errors:
        abort(422, errors=errors)
    return document


def plain_json(data: bytes):
    """What decode_json gives for `data` when it would give it without a word (no 400 or 422,
    nothing nested past the limit, nothing for text_errors to look at), else None."""
    if too_deep(data):
        return None
    try:
        document = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError among them
        return None
    return None if needs_walk(data, document) else document


def needs_walk(data: bytes, document) -> bool:
    """Whether the document can hold what text_errors looks for: surrogates only come from
    \\uD800-\\uDFFF escapes (strict UTF-8 has none), long integers only from long digit runs."""
    return (
        re.search(rb"\\u[dD][89a-fA-F]", data) is not None
        or re.search(rb"[0-9]{%d}" % (MAX_INT_DIGITS + 1), data) is not None
    )


def query_errors() -> dict[str, list[str]]:
    """Query arguments that are not UTF-8 once percent-decoded (Werkzeug would silently turn
    them into U+FFFD), by name."""
    raw = request.environ.get("QUERY_STRING", "")
    if raw.isascii() and "%" not in raw:
        return {}
    errors = {}
    for part in raw.split("&"):
        name, _, value = part.partition("=")
        try:
            for piece in (name, value):
                unquote_to_bytes(piece.replace("+", " ")).decode("utf-8")
        except (UnicodeDecodeError, UnicodeEncodeError):
            shown = unquote_to_bytes(name.replace("+", " ")).decode("utf-8", "replace")
            errors[f"query.{printable(shown)}"] = [
                "Not UTF-8 text once percent-decoded; encode text as UTF-8, then percent-encode."
            ]
    return errors


def header_errors() -> dict[str, list[str]]:
    """Headers a test client or a proxy handed over holding lone surrogates."""
    errors = {}
    for key, value in request.environ.items():
        if key.startswith("HTTP_") and isinstance(value, str) and unsafe(value):
            name = "-".join(part.capitalize() for part in key[5:].split("_"))
            errors[f"headers.{name}"] = ["Holds a lone surrogate; send whole characters."]
    return errors


def header_text(name: str) -> str | None:
    """A header's text as the client meant it: UTF-8 bytes, or RFC 8187 `UTF-8''%..`; 422 else.

    WSGI hands header bytes over as Latin-1 text; re-reading them as UTF-8 turns
    'RevisiÃ³n' back into 'Revisión'.
    """
    value = request.headers.get(name)
    if value is None:
        return None
    problem = [
        "Not UTF-8. Send the text as UTF-8, or as UTF-8''<percent-encoded UTF-8> (RFC 8187)."
    ]
    try:
        raw = value.encode("latin-1")
    except UnicodeEncodeError:  # already text (a test client); safe unless it holds surrogates
        if unsafe(value):
            abort(422, errors={"headers": {name: problem}})
        return value
    if RFC8187.match(value):
        raw = unquote_to_bytes(value[len("utf-8''") :])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        abort(422, errors={"headers": {name: problem}})


def expected_type(method: str) -> str:
    return MERGE_PATCH_TYPE if method == "PATCH" else JSON_TYPE


def unsupported(method: str, sent: str) -> None:
    """415 naming the type to send; PATCH's carries Accept-Patch (RFC 5789)."""
    wanted = expected_type(method)
    headers = {"Accept": wanted}
    if method == "PATCH":
        headers["Accept-Patch"] = MERGE_PATCH_TYPE
    what = f"was {sent}" if sent else "had no Content-Type"
    abort(
        415,
        message=f"Send the {method} body as {wanted} (UTF-8); this one {what}.",
        errors={"headers": {"Content-Type": [f"Must be {wanted}."]}},
        headers=headers,
        type="unsupported-media-type",
    )


def check_body_type(method: str) -> None:
    """POST/PUT take JSON and PATCH a merge patch; anything else with a body is a 415."""
    sent = request.mimetype
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if method == "PATCH":
        acceptable = sent == MERGE_PATCH_TYPE
    elif not sent:
        acceptable = not read_body()  # no body: the schema names what is missing
    else:
        acceptable = request.is_json
    if not acceptable or charset not in ("utf-8", "utf8"):
        unsupported(method, request.content_type or "")


def check_request() -> None:
    """Before any view: text safety of the query and headers, then the body's type and JSON."""
    errors = {**query_errors(), **header_errors()}
    if errors:
        abort(422, errors=errors)
    method = request.method
    if request.url_rule is None or request.routing_exception is not None:
        return  # 404/405: answered as such
    takes_json = method in BODY_METHODS and request.endpoint not in FORM_ENDPOINTS
    if takes_json:
        check_body_type(method)
    if (takes_json or request.environ.get("CONTENT_TYPE")) and request.is_json:
        data = read_body()
        if not data and not takes_json:
            return  # a DELETE (or a read) naming a type for a body it does not have
        document = decode_json(data, PER_MEMBER.get(request.endpoint))
        request._cached_json = (document, document)  # what request.get_json() answers


def accept_patch(response: Response) -> Response:
    """OPTIONS on a resource that takes PATCH says which patch format (RFC 5789 3.1)."""
    if request.method == "OPTIONS" and "PATCH" in response.headers.get("Allow", ""):
        response.headers["Accept-Patch"] = MERGE_PATCH_TYPE
    return response


class AsciiIntegerConverter(IntegerConverter):
    """<int:...> in a path: ASCII digits only (Python's int() also reads "١"), and no more
    than a 64-bit integer holds, so an absurd number is a 404 like any unknown version."""

    regex = r"[0-9]{1,19}"


class EdgeParser(FlaskParser):
    """webargs' parser reading the JSON body the edge decoded, not decoding it again."""

    def _raw_load_json(self, req):
        if not req.is_json:
            return super()._raw_load_json(req)
        return req.get_json()


class Blueprint(SmorestBlueprint):
    """A flask-smorest Blueprint whose body arguments come from the edge's decoder."""

    ARGUMENTS_PARSER = EdgeParser()


def init_app(app: Flask) -> None:
    """After the size and depth checks (limits.init_app), before auth and every view."""
    app.url_map.converters["int"] = AsciiIntegerConverter  # before any route is added
    app.before_request(check_request)
    app.after_request(accept_patch)
