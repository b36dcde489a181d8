"""The model's content: complete, sourced, and loaded and exported without loss."""

import json

import pytest

from service import store
from service.fixtures import FixtureError, export_fixtures, load_fixtures, read_histories
from tests.conftest import FIXTURES

HISTORIES = read_histories(FIXTURES)
LATEST = {(h["kind"], h["id"]): h["versions"][-1]["body"] for h in HISTORIES}
SEED = "004_7c0f5d4bc74b5b6b"


def ids(kind: str) -> set[str]:
    return {id_ for k, id_ in LATEST if k == kind}


def fresh(tmp_path, name: str):
    db = store.open_db(str(tmp_path / name))
    store.migrate(db)
    return db


def tree(directory) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*.json")}


def test_export_then_load_then_export_is_identical(tmp_path, template_db):
    first, second = tmp_path / "first", tmp_path / "second"
    export_fixtures(store.open_db(str(template_db)), first)
    db = fresh(tmp_path, "again.db")
    load_fixtures(db, first)
    export_fixtures(db, second)
    assert tree(first) == tree(second)


def test_repository_fixtures_are_exactly_what_export_writes(tmp_path, template_db):
    export_fixtures(store.open_db(str(template_db)), tmp_path / "out")
    assert tree(tmp_path / "out") == tree(FIXTURES)


def test_loading_twice_is_refused(tmp_path):
    db = fresh(tmp_path, "twice.db")
    load_fixtures(db, FIXTURES)
    with pytest.raises(FixtureError):
        load_fixtures(db, FIXTURES)


def test_invalid_fixture_loads_nothing(tmp_path):
    bad = tmp_path / "bad" / "chips"
    bad.mkdir(parents=True)
    document = {
        "kind": "chips",
        "id": "broken",
        "versions": [
            {
                "version": 1,
                "recorded_at": "2025-07-21T00:00:00Z",
                "author": "t",
                "change_note": "n",
                "body": {"name": "no figures"},
            }
        ],
    }
    (bad / "broken.json").write_text(json.dumps(document))
    db = fresh(tmp_path, "bad.db")
    with pytest.raises(FixtureError, match="chips/broken"):
        load_fixtures(db, tmp_path / "bad")
    assert store.max_seq(db) == 0


def test_model_has_both_framings_and_six_assumptions():
    assert ids("framings") == {"sliding-scale", "freeze-in-place"}
    assert ids("assumptions") == {f"a{n}" for n in range(1, 7)}


def test_assumption_version_one_is_the_seed_assessment_of_2025_07_21():
    for history in HISTORIES:
        if history["kind"] == "assumptions":
            first = history["versions"][0]
            assert first["recorded_at"] == "2025-07-21T00:00:00Z"
            assert any(s.get("seed") == SEED for s in first["body"]["sources"])


def test_some_assumptions_carry_later_dated_versions():
    later = [h for h in HISTORIES if h["kind"] == "assumptions" and len(h["versions"]) > 1]
    assert later


def test_watchlist_has_the_four_assumption_six_items_and_the_seed_s_others():
    a6 = {"uae-ai-annex", "trade-deal-security-terms", "compute-governance", "icts-data-centers"}
    assert {
        i for i in ids("watchlist") if LATEST[("watchlist", i)]["origin"] == "assumption-6"
    } == a6
    assert len(ids("watchlist") - a6) >= 6


def test_chip_catalogue_has_the_eight_named_chips():
    assert {
        "nvidia-a100",
        "nvidia-h100",
        "nvidia-h20",
        "nvidia-h200",
        "nvidia-b200",
        "huawei-ascend-910b",
        "huawei-ascend-910c",
        "cambricon-mlu370",
    } <= ids("chips")


def test_at_least_twelve_real_controls_with_expected_signs_for_both_framings():
    assert len(ids("controls")) >= 12
    for id_ in ids("controls"):
        assert set(LATEST[("controls", id_)]["expected"]) == {"sliding-scale", "freeze-in-place"}


def test_every_version_of_every_resource_cites_sources():
    for history in HISTORIES:
        for version in history["versions"]:
            if not version.get("deleted"):
                assert version["body"]["sources"], f"{history['kind']}/{history['id']}"
