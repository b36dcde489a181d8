"""The scoring model, read and compiled once per (database, change sequence, point in time).

Reading every framing, assumption and chip and compiling their criteria on each request was
the largest cost of POST /score in the profile (bench/README.md). What a point in time sees can
only change when a version is appended, and every append raises the change sequence (versions
are never updated or deleted: the database's triggers refuse it; releases never change either).
So (database file, max seq, as_of, release) names one model exactly, and a cached model is
the very model a fresh read would build: a score stays a pure function of the control and the
model versions it names. Each app and process keeps its own small LRU.
"""

import gc
from collections.abc import Callable
from contextlib import contextmanager

from flask import current_app
from flask_smorest import abort

from service import store
from service.cache import LRU
from service.kinds import KINDS
from service.scoring import (
    CompiledModel,
    ModelView,
    compile_model,
    reference_errors,
    score_control,
)
from service.web.db import database_key, get_db
from service.web.http import dumps_bytes
from service.web.reads import current_or_error

EXTENSION = "framings.models"
SIZE = 32  # distinct points in time kept: latest, a few releases, recent as_of values


def cached_model(seq: int, point, build: Callable):
    """The model for `point` when the database's latest change is `seq`; built on a miss.

    `seq` must be read before `build` runs, so a model is never older than its key says.
    """
    extensions = current_app.extensions
    cache = extensions.get(EXTENSION)
    if cache is None:  # not setdefault(EXTENSION, LRU(SIZE)): that builds one every call
        cache = extensions.setdefault(EXTENSION, LRU(SIZE))
    return cache.get_or_build((database_key(), seq, point), build)


def read_model(db, point: store.Point) -> ModelView:
    """The framings, assumptions and chips a reader at `point` sees."""
    parts = {
        kind: {v.id: (v.version, v.body) for v in store.list_current(db, kind, point, limit=10_000)}
        for kind in ("framings", "assumptions", "chips", "controls")
    }
    return ModelView(**parts, as_of=point.as_of, release=point.release)


def model_at(point: store.Point) -> ModelView:
    """read_model, reused until a write (see service/web/model.py for why that is exact)."""
    db = get_db()
    return cached_model(store.max_seq(db), point, lambda: read_model(db, point))


def compiled_at(point: store.Point) -> CompiledModel:
    """compile_model(model_at(point)), reused the same way: criteria compiled once per model."""
    seq = store.max_seq(get_db())
    return cached_model(seq, ("compiled", point), lambda: compile_model(model_at(point)))


SUMMARY_KEYS = ("impact", "score", "label", "robust_impact", "impact_range", "alignment")


def split_request(data: dict) -> tuple[dict, dict | None]:
    """A loaded score request as (the control, its what-if credences or None)."""
    overrides = data.pop("assumptions", None)
    return data, overrides


def known_ids(model: ModelView):
    """What the control schema checks chip and assumption ids against (schemas.references)."""
    return {"chips": model.chip_ids, "assumptions": model.assumption_ids}.__getitem__


def score_or_422(control: dict, model: ModelView, overrides: dict | None) -> dict:
    """Score a schema-valid control, or 422 when it names ids the model does not have."""
    errors = reference_errors({**control, "assumptions": overrides or {}}, model)
    if errors:
        abort(422, errors=errors)
    return score_control(control, model, overrides)


def answer_bytes(model, control: dict, overrides: dict | None, detail: str) -> bytes:
    """The JSON answer of POST /score to a valid control, as represent() would give it."""
    answer = score_or_422(control, model, overrides)
    return dumps_bytes(summary(answer) if detail == "summary" else answer)


@contextmanager
def collection_paused():
    """Python's cycle collector held off while answers are scored, then let run again.

    A batch allocates some hundred thousand small dicts and lists that it keeps until the
    answer is written, so the collector would run (and walk every object the process holds)
    many times over for nothing: scoring makes no reference cycles, so each object is freed
    by its reference count regardless. About a quarter of a batch's CPU, in process. Only when
    the collector runs changes, never what is collected; one request at a time per worker.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def summary(answer: dict) -> dict:
    """The answer with each framing cut to its alignment, score, label and robust alignment."""
    framings = {
        name: {key: framing[key] for key in SUMMARY_KEYS if key in framing}
        for name, framing in answer["framings"].items()
    }
    return {**answer, "framings": framings}


def stored_answer(kind_name: str, id_: str, point: store.Point) -> dict:
    """Score the control a stored resource holds, naming the version that held it."""
    kind = KINDS[kind_name]
    version = current_or_error(kind, id_, point)
    control = version.body.get("control")
    if control is None:
        abort(404, message=f"The {kind.noun} '{id_}' is not a measure and has no control to score.")
    answer = score_control(control, compiled_at(point))
    answer["source"] = {
        "kind": kind_name,
        "id": id_,
        "version": version.version,
        "url": f"/{kind_name}/{id_}/versions/{version.version}",
    }
    return answer
