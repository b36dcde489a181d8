"""The OpenAPI document tells the truth: schemathesis drives every read and scoring operation
through the WSGI app (no network) and checks no answer is a 5xx and each conforms to the document.

Bounded and derandomized, so a CI run is stable: 15 generated examples per operation, plus
schemathesis's coverage cases. Writes are left to the write tests: they need tokens and would
only collect 401s here.
"""

import tempfile
from pathlib import Path

import hypothesis.strategies as st
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service import create_app, store
from service.fixtures import load_fixtures
from service.kinds import KINDS
from tests.conftest import FIXTURES

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
SCORING = ["/score", "/score/batch"]


def real_ids(db_path) -> dict[str, list[str]]:
    db = store.open_db(str(db_path))
    try:
        return {kind: sorted(store.live_ids(db, kind))[:3] for kind in KINDS}
    finally:
        db.conn.close()


def with_real_ids(ids: dict[str, list[str]]):
    """Random ids only ever find 404s; mix in ids and version numbers that exist."""

    def flatmap(context, path_parameters):
        if not path_parameters or "id_" not in path_parameters:
            return st.just(path_parameters)
        kind = path_parameters.get("kind", context.operation.path.strip("/").split("/")[0])
        if kind not in ids:
            return st.just(path_parameters)
        real = st.sampled_from(ids[kind]).map(
            lambda id_: {**path_parameters, "id_": id_, **one_if_numbered(path_parameters)}
        )
        return st.one_of(st.just(path_parameters), real)

    return flatmap


def one_if_numbered(path_parameters: dict) -> dict:
    return {"number": 1} if "number" in path_parameters else {}


def load_schema():
    """The app on its own fixture database: schemathesis needs the schema at collection time,
    before any pytest fixture exists (its lazy, fixture-based loader fails on pytest 9)."""
    path = Path(WORKDIR.name) / "framings.db"
    db = store.open_db(str(path))
    store.migrate(db)
    load_fixtures(db, FIXTURES)
    db.conn.close()
    app = create_app({"DATABASE": str(path), "TESTING": True})
    loaded = schemathesis.openapi.from_wsgi("/openapi.json", app)
    loaded.hook("flatmap_path_parameters")(with_real_ids(real_ids(path)))
    return loaded.include(
        lambda ctx: ctx.operation.method.upper() == "GET" or ctx.operation.path in SCORING
    )


WORKDIR = tempfile.TemporaryDirectory(prefix="framings-schemathesis-")  # removed at exit
schema = load_schema()


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_conforms_to_the_openapi_document(case):
    case.call_and_validate(checks=CHECKS)
