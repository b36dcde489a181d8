"""Fuzzing the parsers: arbitrary JSON, and valid documents with parts swapped, dropped or added.

The control and criterion parsers may refuse anything with a ValidationError but never raise
anything else; what they accept must score without error; and over HTTP no body or query string
gives a 5xx, while every 4xx is problem+json. Bounded and derandomized, so runs are stable.
"""

import copy
import json
import random
import shutil
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from schemas.control import INSTRUMENTS, LAYERS, REACHES, ControlSchema, ScoreRequestSchema
from schemas.framing import (
    BAND_FEATURES,
    WHEN_FIELDS,
    CriterionSchema,
    FramingSchema,
)
from service import create_app, store
from service.kinds import KINDS
from service.scoring import ModelView, reference_errors, score_control
from tests.conftest import FIXTURES, make_token

pytestmark = pytest.mark.property  # generated inputs: minutes, `make quick` skips

FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
HTTP_FUZZ = settings(FUZZ, max_examples=150)
LISTS = [
    "/framings",
    "/assumptions",
    "/watchlist",
    "/chips",
    "/controls",
    "/releases",
    "/changes",
    "/chips/nvidia-h20/versions",
]
QUERY_NAMES = [
    "limit",
    "cursor",
    "as_of",
    "release",
    "format",
    "status",
    "origin",
    "since",
    "assumption",
    "category",
    "instrument",
    "direction",
    "watchlist",
    "from",
]


def latest_bodies(kind: str) -> dict[str, tuple[int, dict]]:
    bodies = {}
    for path in sorted((FIXTURES / kind).glob("*.json")):
        latest = json.loads(path.read_text(encoding="utf-8"))["versions"][-1]
        if latest.get("body") is not None:
            bodies[path.stem] = (latest["version"], latest["body"])
    return bodies


FRAMINGS = latest_bodies("framings")
MODEL = ModelView(FRAMINGS, latest_bodies("assumptions"), latest_bodies("chips"))
FRAMING = FRAMINGS["sliding-scale"][1]
# Every starting criterion: flat values and bands, each shape of `when`.
CRITERIA = [c for _, body in FRAMINGS.values() for c in body["criteria"]]
CONTROL = {
    **latest_bodies("controls")["affiliates-50-percent-rule"][1]["control"],
    "threshold": {"basis": "indexed", "tpp": 4800, "memory_bandwidth_tbps": 4},
    "chips": ["nvidia-h20"],
}

VOCABULARY = sorted(
    {
        *LAYERS,
        *REACHES,
        *INSTRUMENTS,
        *BAND_FEATURES,
        *WHEN_FIELDS,
        "a1",
        "a5",
        "fixed",
        "indexed",
        "tighten",
        "loosen",
        "value",
        "bands",
        "nvidia-h20",
    }
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(VOCABULARY)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def paths_of(document, prefix=()):
    """Every place in a JSON document, the root included."""
    yield prefix
    items = (
        document.items()
        if isinstance(document, dict)
        else (enumerate(document) if isinstance(document, list) else ())
    )
    for key, value in items:
        yield from paths_of(value, (*prefix, key))


def changed(document, path, action: str, value, new_key: str):
    """The document with the value at `path` replaced, deleted, or a sibling added beside it."""
    if not path:
        return value
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    if action == "replace":
        parent[path[-1]] = value
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent, list):
        parent.insert(path[-1], value)
    else:
        parent[new_key] = value
    return document


def near_values(original):
    """Values a valid document might hold: its own parts, moved elsewhere, and nearby numbers.
    They get past the type checks far more often than arbitrary JSON, reaching deeper code."""
    parts = [value for path in paths_of(original) if (value := value_at(original, path))]
    return (
        st.sampled_from(parts).map(copy.deepcopy)
        | st.floats(-1.5, 1.5)
        | st.integers(-2, 5)
        | st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=3)
    )


def value_at(document, path):
    for key in path:
        document = document[key]
    return document


@st.composite
def mutations_of(draw, original):
    """A valid document with one to three parts swapped for other JSON, dropped or added."""
    document = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 3))):
        places = list(paths_of(document))
        document = changed(
            document,
            draw(st.sampled_from(places)),
            draw(st.sampled_from(["replace", "delete", "add"])),
            draw(json_values | near_values(original)),
            draw(st.sampled_from(VOCABULARY) | st.text(max_size=12)),
        )
    return document


def load_or_none(schema, data):
    try:
        return schema.load(data)
    except ValidationError:
        return None


def scores_cleanly(request: dict) -> None:
    """A control the schema accepted scores without error once its ids are known to exist."""
    overrides = request.pop("assumptions", None)
    if not reference_errors({**request, "assumptions": overrides or {}}, MODEL):
        score_control(request, MODEL, overrides)


@FUZZ
@given(json_values | mutations_of(CONTROL))
def test_control_parser_raises_nothing_but_validation_errors(data):
    load_or_none(ControlSchema(), data)


@FUZZ
@given(mutations_of({**CONTROL, "assumptions": {"a3": 0.2}}))
def test_score_request_the_parser_accepts_always_scores(data):
    loaded = load_or_none(ScoreRequestSchema(), data)
    if loaded is not None:
        scores_cleanly(loaded)


@FUZZ
@given(json_values | st.sampled_from(CRITERIA).flatmap(mutations_of))
def test_criterion_parser_raises_nothing_but_validation_errors(data):
    load_or_none(CriterionSchema(), data)


@FUZZ
@given(st.sampled_from(CRITERIA).flatmap(mutations_of), st.sampled_from(["tighten", "loosen"]))
def test_a_criterion_the_parser_accepts_always_scores(data, direction):
    criterion = load_or_none(CriterionSchema(), data)
    if criterion is not None:
        model = ModelView({"f": (1, {"criteria": [criterion]})}, MODEL.assumptions, MODEL.chips)
        score_control({**CONTROL, "direction": direction}, model)


@FUZZ
@given(json_values | mutations_of(FRAMING))
def test_framing_parser_raises_nothing_but_validation_errors(data):
    load_or_none(FramingSchema(), data)


@pytest.fixture(scope="module")
def fuzz_client(template_db, tmp_path_factory):
    """One app for every example: these requests only read, so sharing it is safe."""
    path = tmp_path_factory.mktemp("fuzz") / "framings.db"
    shutil.copy(template_db, path)
    return create_app({"DATABASE": str(path), "TESTING": True}).test_client()


def assert_no_server_error(response) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["status"] == response.status_code


controls_or_anything = json_values | mutations_of(CONTROL)
score_bodies = st.one_of(controls_or_anything.map(json.dumps), st.binary(max_size=60))
batch_bodies = st.one_of(
    st.dictionaries(st.text(max_size=8), controls_or_anything, max_size=3).map(
        lambda controls: json.dumps({"controls": controls})
    ),
    json_values.map(json.dumps),
)


@HTTP_FUZZ
@given(body=score_bodies)
def test_post_score_never_answers_a_server_error(fuzz_client, body):
    assert_no_server_error(fuzz_client.post("/score", data=body, content_type="application/json"))


@HTTP_FUZZ
@given(body=batch_bodies)
def test_post_score_batch_never_answers_a_server_error(fuzz_client, body):
    response = fuzz_client.post("/score/batch", data=body, content_type="application/json")
    assert_no_server_error(response)


query_pairs = st.lists(
    st.tuples(
        st.sampled_from(QUERY_NAMES) | st.text(max_size=8),
        st.text(max_size=30) | st.integers().map(str),
    ),
    max_size=4,
)


@HTTP_FUZZ
@given(path=st.sampled_from(LISTS), pairs=query_pairs, raw=st.text(max_size=30))
def test_list_queries_never_answer_a_server_error(fuzz_client, path, pairs, raw):
    for query in (urlencode(pairs), raw):
        assert_no_server_error(fuzz_client.get(path, query_string=query))


# --- the campaign: every operation, with the edge cases of issue 11 ---------------------------

CAMPAIGN_SEED = 20251129
CAMPAIGN_REQUESTS = 3000
# Text, numbers and headers that broke comparable systems: a lone surrogate (a JavaScript
# client cutting text inside an emoji), NUL, huge integers, NaN, digits that are not ASCII,
# signs, exponents, stray whitespace, odd timestamps.
EDGE_TEXT = [
    "\ud83d",
    "a\udc00b",
    "\x00",
    "x" * 5000,
    "9" * 5000,
    "-0",
    "1e309",
    "NaN",
    "Infinity",
    "٣",
    "１２",
    "0x1F",
    " 7 ",
    "",
    "🙂",
    "\u202eevil",
    "Revisión — 中文",
    "2025-07-21T12:00:00+00:60",
    "1990-12-31T23:59:60Z",
    "2025-07-21T12:00:00.+01:00",
    "2025-13-40",
    "../../etc/passwd",
    "a,b",
    '"',
]
EDGE_JSON_VALUES = [
    None,
    True,
    0,
    -1,
    10**30,
    1e308,
    -0.0,
    [],
    {},
    [[[]]],
    {"": ""},
]
RAW_BODIES = [
    b"{",
    b"[1,",
    b"\xff\xfe",
    b'{"a": NaN}',
    b'{"a": Infinity}',
    b'{"name": "\\ud83d"}',
    b'{"\\udc00": 1}',
    b'{"name": ' + b"9" * 5000 + b"}",
    b'{"a": 1, "a": 2}',
    b"[" * 150 + b"]" * 150,
    b"null",
    b'"just a string"',
    b"",
    b"name=x&direction=tighten",
]
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "application/merge-patch+json",
    "application/x-www-form-urlencoded",
    "text/plain",
    "application/json; charset=latin-1",
    None,
]
ACCEPTS = [
    None,
    "*/*",
    "application/json; charset=utf-8",
    "text/markdown; charset=utf-8",
    "text/csv; charset=utf-8",
    "text/html;q=0.9, application/json;q=0.1",
    "application/json;q=0",
    "image/png",
    "text/*",
    "garbage",
    "",
    "*/*;q=abc",
]
# Header values as a client would send them; text that is not Latin-1 goes as its UTF-8 bytes.
EDGE_HEADERS = [
    'W/"014"',
    '"1"',
    "*",
    '"' + "9" * 5000 + '"',
    "Revisión — 中文".encode().decode("latin-1"),
    "k" * 5000,
    "",
    "\t",
    '"1", W/"2", *',
    "Mon, 32 Jan 2025 00:00:00 GMT",
]


def campaign_bodies() -> list:
    """Valid bodies of every kind, to be mutated: edge values get past the type checks there."""
    bodies = [CONTROL, FRAMING]
    for kind in ("assumptions", "watchlist", "chips", "controls"):
        bodies.extend(body for _, body in list(latest_bodies(kind).values())[:2])
    return bodies


def mutated(rng, document):
    """The document with one to three values swapped for edge cases (or a key added)."""
    document = copy.deepcopy(document)
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(list(paths_of(document)))
        value = rng.choice(EDGE_TEXT + EDGE_JSON_VALUES)
        action = rng.choice(["replace", "replace", "add"])
        document = changed(document, path, action, value, rng.choice(EDGE_TEXT))
    return document


def encoded_body(rng, bodies) -> bytes:
    choice = rng.random()
    if choice < 0.25:
        return rng.choice(RAW_BODIES)
    document = mutated(rng, rng.choice(bodies)) if choice < 0.9 else rng.choice(EDGE_JSON_VALUES)
    # Lone surrogates survive as \ud83d escapes, as a JavaScript client sends them.
    return json.dumps(document, allow_nan=True).encode()


def url_for(rng, template: str, ids: dict) -> str:
    kind = rng.choice(sorted(ids))
    if not template.startswith("/embed"):
        kind = template.strip("/").split("/")[0] if template.count("/") > 1 else kind
    real = ids.get(kind) or ["none"]
    odd = ["%ED%A0%BD", "%00", "x" * 300, "A", "..", "%F0%9F%99%82", "9" * 30]
    replacements = {
        "{kind}": kind if rng.random() < 0.9 else rng.choice(odd),
        "{id}": rng.choice(real) if rng.random() < 0.7 else rng.choice(odd),
        "{number}": rng.choice(["1", "2", "0", "9" * 30, "-1", "٣"]),
        "{name}": rng.choice(["walk", "none", "%ED%A0%BD"]),
        "{slug}": rng.choice(["validation", "gone", "%00"]),
    }
    for placeholder, value in replacements.items():
        template = template.replace(placeholder, value)
    return template


def query_for(rng, operation: dict) -> str:
    names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    pairs = []
    for _ in range(rng.randint(0, 3)):
        name = rng.choice(names + ["unknown"]) if names else "unknown"
        values = EDGE_TEXT + [str(v) for v in EDGE_JSON_VALUES]
        for parameter in operation.get("parameters", []):
            if parameter["name"] == name:
                values += [str(v) for v in parameter.get("schema", {}).get("enum", [])]
        pairs.append((name, rng.choice(values)))
    return urlencode(pairs, encoding="utf-8", errors="surrogatepass")


def headers_for(rng, method: str, operation: dict, token: str) -> dict:
    headers = {}
    if rng.random() < 0.85:
        headers["Authorization"] = f"Bearer {token}"
    if (accept := rng.choice(ACCEPTS)) is not None:
        headers["Accept"] = accept
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "header" and rng.random() < 0.8:
            headers[parameter["name"]] = rng.choice(EDGE_HEADERS + ["a note", "*", 'W/"1"'])
    if method != "GET" and rng.random() < 0.3:
        headers["If-None-Match"] = rng.choice(EDGE_HEADERS)
    return headers


def test_a_seeded_campaign_over_every_operation_answers_no_server_error(template_db, tmp_path):
    """A few thousand requests spread over every operation of the OpenAPI document, each with
    edge cases in its path, query, headers and body: never a 5xx, and every error the app
    writes is problem+json (the score form alone answers its own 422 in HTML)."""
    path = tmp_path / "framings.db"
    shutil.copy(template_db, path)
    db = store.open_db(str(path))
    token = make_token(db, "fuzzer", "admin")
    ids = {kind: sorted(store.live_ids(db, kind))[:4] for kind in KINDS}
    db.conn.close()
    app = create_app({"DATABASE": str(path), "TESTING": True, "WRITE_RATE_LIMIT": "off"})
    client = app.test_client()
    document = client.get("/openapi.json").get_json()
    operations = [
        (method.upper(), template, operation)
        for template, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    rng = random.Random(CAMPAIGN_SEED)
    bodies = campaign_bodies()
    failures = []
    for number in range(CAMPAIGN_REQUESTS):
        method, template, operation = operations[number % len(operations)]
        url = url_for(rng, template, ids)
        query = query_for(rng, operation)
        headers = headers_for(rng, method, operation, token)
        kwargs = {}
        if method in ("POST", "PUT", "PATCH"):
            kwargs["data"] = encoded_body(rng, bodies)
            if (content_type := rng.choice(CONTENT_TYPES)) is not None:
                kwargs["content_type"] = content_type
        response = client.open(url, method=method, query_string=query, headers=headers, **kwargs)
        status = response.status_code
        html_form_answer = template == "/score/form" and status == 422
        wrong = status >= 500 or (
            status >= 400
            and not html_form_answer
            and response.mimetype != "application/problem+json"
        )
        if wrong:
            failures.append(
                f"{method} {url}?{query} {headers} {kwargs.get('data', b'')[:120]!r} -> "
                f"{status} {response.mimetype}: {response.get_data()[:300]!r}"
            )
    assert not failures, f"{len(failures)} of {CAMPAIGN_REQUESTS}:\n" + "\n".join(failures[:25])
