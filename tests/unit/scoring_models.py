"""Tiny hand-made models for the scorer's unit tests: criteria, models, controls, and the
parts of an answer a test reads."""

from service.scoring import ModelView

CHIPS = {
    "us-small": (1, {"origin": "us", "tpp": 2368}),
    "us-big": (1, {"origin": "us", "tpp": 15831}),
    "cn-old": (1, {"origin": "china", "tpp": 5120}),
    "cn-new": (2, {"origin": "china", "tpp": 12800}),
}


def criterion(id_="c", weight=1, when=None, value=(1, -1), bands=None, relies=()):
    out = {
        "id": id_,
        "label": f"label {id_}",
        "weight": weight,
        "relies_on": [{"assumption": a, "holds": h} for a, h in relies],
        "rationale": {"tighten": f"{id_} tighten", "loosen": f"{id_} loosen"},
    }
    if when is not None:
        out["when"] = when
    if bands is not None:
        out["bands"] = bands
    else:
        out["value"] = {"tighten": value[0], "loosen": value[1]}
    return out


def model(*criteria, other=None, credences=None, chips=None, as_of=None):
    framings = {"one": (3, {"criteria": list(criteria)})}
    if other is not None:
        framings["two"] = (1, {"criteria": list(other)})
    credences = {"a1": 0.5, "a2": 0.8} if credences is None else credences
    assumptions = {a: (1, {"assessment": {"credence": c}}) for a, c in credences.items()}
    return ModelView(framings, assumptions, CHIPS if chips is None else chips, as_of=as_of)


def control(**changes):
    base = {
        "name": "Test control",
        "direction": "tighten",
        "instrument": "license_requirement",
        "layers": ["training_chips"],
        "reach": ["china_market"],
    }
    return {**base, **changes}


def one(answer, framing="one"):
    return answer["framings"][framing]


def rows(answer, framing="one"):
    return {row["id"]: row for row in one(answer, framing)["criteria"]}


BANDS = {
    "feature": "foreign_availability_ratio",
    "edges": [1.0, 1.5],
    "tighten": [-1, -0.5, 0.5],
    "loosen": [1, 0.5, -0.5],
}
