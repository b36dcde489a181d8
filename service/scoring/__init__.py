"""Score a proposed control against each framing: the public, pure API of DESIGN section 3.

A score is a function of (control, overrides, model versions) only: no Flask, no database, no
clock, no randomness. The HTTP layer reads a ModelView, may cache `compile_model(view)` for as
long as the versions it names stay current, and calls `score_control` or `score_batch`.

Verdict margin: the difference of alignments (favoured minus runner-up), in [0, 2]; alignments
are what the labels are cut on, and scores are only their 0-100 rescaling.

Modules: features (a control's features), criteria (compiled criteria and their scores),
targets (named chips and entities), verdict (labels and the favoured framing), words (the
words of explanations). May import schemas and service.cache; never Flask, the store or web.
"""

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import orjson

from service.scoring.countermeasure import (
    bears_on,
    classify_countermeasure,
    compile_rules,
    effect_rows,
    moved_credences,
)
from service.scoring.criteria import (
    add_ranking_tipping,
    compile_framing,
    evaluate_all,
    score_framing_line,
)
from service.scoring.effect import (
    capability_factor,
    effect_factors,
    effect_fields,
    effect_size,
    spread_scales,
)
from service.scoring.features import (
    ChipCatalogue,
    band_numbers,
    build_catalogue,
    classify,
    foreign_availability,
    match_features,
    normalise_control,
    number,
)
from service.scoring.impact import Effect
from service.scoring.targets import targets_of
from service.scoring.verdict import verdict

# 2.0.0: whom a control bites on (`targets`), export promotion, the revised classification,
# per-band rationales, robust labels and the verdict sentences of DESIGN section 3.
# 2.1.0: tipping points in `sensitivity`: the credences at which each framing's robust label
# (`tipping`) and its place in the robust ranking (`ranking_flip`) would change.
# 3.0.0: degree (DESIGN section 3): impact, robust_impact, impact_range and impact_factors per
# framing, with breadth, stringency and stage; the headline (score, label, verdict, rankings,
# tipping points) follows impact; measures imposed by China read as evidence (countermeasure).
SCORER_VERSION = "3.0.0"


@dataclass(frozen=True)
class ModelView:
    """The model as read: id -> (version, body) of the latest non-deleted version of each."""

    framings: dict[str, tuple[int, dict]]
    assumptions: dict[str, tuple[int, dict]]
    chips: dict[str, tuple[int, dict]]
    as_of: str | None = None
    release: str | None = None
    # The stored controls, for what a measure of China's does to them; empty if not needed.
    controls: dict = dataclass_field(default_factory=dict)


@dataclass(frozen=True)
class CompiledModel:
    """Everything about a ModelView that does not depend on the control, worked out once."""

    framings: tuple
    credences: dict
    catalogue: ChipCatalogue
    versions: dict
    as_of: str | None
    release: str | None
    chip_ids: frozenset
    assumption_ids: frozenset
    rules: tuple = ()  # the assumptions' countermeasure rules, compiled
    controls: tuple = ()  # (id, version, control) of the stored US and allied controls


def credence_of(body: dict):
    return number((body.get("assessment") or {}).get("credence"))


def compile_model(model: ModelView) -> CompiledModel:
    """Compile criteria, credences, the chip frontier and the `model` block of the answer."""
    framings = tuple(
        compile_framing(fid, v, body) for fid, (v, body) in sorted(model.framings.items())
    )
    versions = {
        kind: {rid: v for rid, (v, _) in sorted(getattr(model, kind).items())}
        for kind in ("framings", "assumptions", "chips")
    }
    return CompiledModel(
        framings=framings,
        credences={aid: credence_of(body) for aid, (_, body) in model.assumptions.items()},
        catalogue=build_catalogue(model.chips),
        versions=versions,
        as_of=model.as_of,
        release=model.release,
        chip_ids=frozenset(model.chips),
        assumption_ids=frozenset(model.assumptions),
        rules=compile_rules(model.assumptions),
        controls=tuple(
            (cid, v, body["control"])
            for cid, (v, body) in sorted(model.controls.items())
            if (body.get("control") or {}).get("imposed_by", "us") != "china"
        ),
    )


def _compiled(model: ModelView | CompiledModel) -> CompiledModel:
    return model if isinstance(model, CompiledModel) else compile_model(model)


def _split(control: dict, overrides: Mapping | None) -> tuple[dict, dict]:
    """A score request may carry its what-ifs inside the body; explicit overrides win."""
    inline = control.get("assumptions") or {}
    merged = {**inline, **(overrides or {})}
    return control, {aid: number(merged[aid]) for aid in sorted(merged)}


# orjson's spelling of a float below 1e-4 (0.00001, 2.5e-7) is not the stdlib's (1e-05, 2.5e-07);
# every such float holds one of these, and then the stdlib writes the text (service/web/http.py).
_SMALL_FLOAT = re.compile(rb"e-[0-9]")


def canonical_json(payload) -> bytes:
    """json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False) in
    UTF-8: through orjson (keys sorted by code point, as Python sorts them) when that gives
    the same bytes, else through the stdlib."""
    try:
        encoded = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        encoded = None
    if encoded is None or b"0.0000" in encoded or _SMALL_FLOAT.search(encoded):
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        encoded = text.encode("utf-8")
    return encoded


def input_hash(control: dict, overrides: dict, as_of, release) -> str:
    """sha256 over canonical JSON of everything the caller chose (the model is named apart)."""
    payload = {"control": control, "overrides": overrides, "as_of": as_of, "release": release}
    return "sha256:" + hashlib.sha256(canonical_json(payload)).hexdigest()


def answer_identity(control: dict, overrides: Mapping[str, float] | None = None) -> bytes:
    """All a score answer depends on besides the model: canonical JSON of the control as
    score_control normalises it and of the what-ifs as it merges them. Two requests with the
    same identity get the same answer, byte for byte (a control's list order, its defaults
    written out or left implicit and its numbers' spelling make no difference)."""
    raw, merged = _split(control, overrides)
    return canonical_json({"control": normalise_control(raw), "overrides": merged})


CHINA_REASON = (
    "Not applicable: the framings prescribe US policy, and this is a measure China imposes; "
    "it is read as evidence on the assumptions instead (see countermeasure)."
)


def framing_results(
    compiled: CompiledModel,
    direction: str,
    features: dict,
    numbers: dict,
    credences: dict,
    effect: Effect,
    china: bool = False,
) -> dict:
    """Each framing's result for this control: criteria rows, degree, sensitivity, tipping."""
    scored = {}
    for f in compiled.framings:
        evaluated = (
            [(c, None, CHINA_REASON) for c in f.criteria]
            if china
            else evaluate_all(f, direction, features, numbers)
        )
        scored[f.id] = score_framing_line(f, "", {}, {}, credences, evaluated, effect)
    results = {fid: result for fid, (result, _) in scored.items()}
    add_ranking_tipping(results, {fid: line for fid, (_, line) in scored.items()}, credences)
    return results


def imposed_by_of(control: dict) -> dict:
    if control.get("imposed_by") is not None:
        return {
            "value": control["imposed_by"],
            "derived": False,
            "reasons": ["Named in the control."],
        }
    return {
        "value": "us",
        "derived": True,
        "reasons": ["Read as a US measure; name `imposed_by` (ally or china) otherwise."],
    }


def control_effect(normal: dict, fa: dict | None, catalogue: ChipCatalogue) -> tuple[dict, Effect]:
    """The derived breadth, stringency and stage, and the effect size they give."""
    fields = effect_fields(normal)
    inference = "inference_chips" in normal["layers"] and "training_chips" not in normal["layers"]
    factors = effect_factors(fields, fa, inference)
    size = effect_size(factors)
    base = size / factors[-1]["value"]  # all but capability
    sizes = tuple(
        base * capability_factor(fa, scale, inference)[0]
        for scale in spread_scales(fa, catalogue.frontier_estimate)
    )
    return fields, Effect(size, (min(sizes), max(sizes)), tuple(factors))


def countermeasure(
    compiled: CompiledModel, normal: dict, targets, features: dict, credences: dict
) -> dict:
    """bears_on, the classification in the seed's sense, and the what-if on stored measures."""
    rows = bears_on(compiled.rules, features)
    moved = moved_credences(rows, credences)
    stored = {cid: control for cid, _, control in compiled.controls}
    before = {cid: score_control(c, compiled, credences, detail=False) for cid, c in stored.items()}
    after = (
        {
            cid: score_control(c, compiled, {**credences, **moved}, detail=False)
            for cid, c in stored.items()
        }
        if moved
        else before
    )
    return {
        "bears_on": rows,
        "classification": classify_countermeasure(normal, targets),
        "what_if": moved,
        "effects": effect_rows(before, after, {cid: v for cid, v, _ in compiled.controls}),
    }


def score_control(
    control: dict,
    model: ModelView | CompiledModel,
    overrides: Mapping[str, float] | None = None,
    detail: bool = True,
) -> dict:
    """The answer of DESIGN section 3 for one validated control (see module docstring).

    `detail=False` skips the countermeasure reading (used for the stored measures it moves)."""
    compiled = _compiled(model)
    raw, overrides = _split(control, overrides)
    normal = normalise_control(raw)
    targets = targets_of(normal)
    imposer = imposed_by_of(normal)
    china = imposer["value"] == "china"
    classification = classify(normal, targets["value"])
    fa = foreign_availability(normal, compiled.catalogue)
    fields, effect = control_effect(normal, fa, compiled.catalogue)
    features = match_features(
        normal, classification["value"], fa, compiled.catalogue, targets["value"]
    )
    numbers = band_numbers(normal, fa)
    credences = {**compiled.credences, **overrides}
    results = framing_results(
        compiled, normal["direction"], features, numbers, credences, effect, china
    )
    counter = (
        countermeasure(compiled, normal, targets["value"], features, credences)
        if china and detail
        else None
    )
    if china:  # one classification: a measure of China's is classified as a countermeasure
        classification = classify_countermeasure(normal, targets["value"])
    answer = {
        "control": normal,
        "derived": {
            "classification": classification,
            "foreign_availability": fa,
            "targets": targets,
            "imposed_by": imposer,
            **fields,
        },
        "framings": results,
        "verdict": verdict(normal["name"], results, overrides, china, counter),
        "model": {
            "as_of": compiled.as_of,
            "release": compiled.release,
            **{kind: dict(ids) for kind, ids in compiled.versions.items()},
            "what_if": dict(overrides),
            "scorer": SCORER_VERSION,
        },
        "input_hash": input_hash(normal, overrides, compiled.as_of, compiled.release),
    }
    if counter is not None:
        answer["countermeasure"] = counter
        answer["model"]["controls"] = {cid: v for cid, v, _ in compiled.controls}
    return answer


def score_batch(
    controls: Mapping[str, dict],
    model: ModelView | CompiledModel,
    overrides: Mapping[str, float] | None = None,
) -> dict[str, dict]:
    """Score many controls against one compiled model; keys are the client's own."""
    compiled = _compiled(model)
    return {key: score_control(control, compiled, overrides) for key, control in controls.items()}


COMPARE_LIMITS = (2, 20)


def rankings(answers: list[dict]) -> dict[str, dict]:
    """Per framing, the controls (by index into `answers`) by impact and by robust impact,
    highest first; ties keep the order given."""
    framings = sorted({fid for answer in answers for fid in answer["framings"]})
    out = {}
    for fid in framings:
        scored = [(i, a["framings"][fid]) for i, a in enumerate(answers) if fid in a["framings"]]
        out[fid] = {
            key: [
                {
                    "index": i,
                    "name": answers[i]["control"]["name"],
                    key: result[key],
                    label: result[label],
                }
                for i, result in sorted(scored, key=lambda item: (-item[1][key], item[0]))
            ]
            for key, label in (("impact", "label"), ("robust_impact", "robust_label"))
        }
    return out


def compare(
    controls: list[dict], model: ModelView | CompiledModel, overrides: Mapping | None = None
) -> dict:
    """Controls side by side: each answer as /score gives it, and the rankings per framing."""
    compiled = _compiled(model)
    answers = [score_control(control, compiled, overrides) for control in controls]
    return {"results": answers, "rankings": rankings(answers)}


def _unknown(ids: Iterable[str], known: Iterable[str]) -> list[str]:
    return sorted(set(ids) - set(known))


def reference_errors(
    control: dict, model: ModelView | CompiledModel, overrides: Mapping[str, float] | None = None
) -> dict[str, list[str]]:
    """Ids a (schema-valid) control or score request names that the model does not hold."""
    chip_ids = model.chip_ids if isinstance(model, CompiledModel) else set(model.chips)
    assumption_ids = (
        model.assumption_ids if isinstance(model, CompiledModel) else set(model.assumptions)
    )
    errors: dict[str, list[str]] = {}
    if unknown := _unknown(control.get("chips") or [], chip_ids):
        errors["chips"] = [
            f"Unknown chip id(s): {', '.join(unknown)}. Known: {', '.join(sorted(chip_ids))}."
        ]
    named = {**(control.get("assumptions") or {}), **(overrides or {})}
    for aid in _unknown(named, assumption_ids):
        errors[f"assumptions.{aid}"] = [
            f"Unknown assumption id '{aid}'. Known: {', '.join(sorted(assumption_ids))}."
        ]
    return errors


def criteria_reference_errors(criteria, known_assumption_ids) -> dict[str, list[str]]:
    """Assumptions a framing's criteria rely on that do not exist: field path -> messages.

    A schema cannot know which assumptions exist, so the write path calls this after loading.
    """
    known, errors = set(known_assumption_ids), {}
    for i, criterion in enumerate(criteria or []):
        relies = criterion.get("relies_on") if isinstance(criterion, dict) else None
        for j, reliance in enumerate(relies or []):
            aid = reliance.get("assumption") if isinstance(reliance, dict) else None
            if aid is not None and aid not in known:
                errors[f"criteria.{i}.relies_on.{j}.assumption"] = [
                    f"Unknown assumption id '{aid}'. Known: {', '.join(sorted(known))}."
                ]
    return errors
