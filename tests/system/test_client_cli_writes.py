"""The `framings` command end to end against a live server: the README's write examples as
they stand (edit an assumption, create and delete, release and read back at the release, a
batch with one bad control), then what each did, read back through the API."""

import json
import os
import re
import shlex
import subprocess

import pytest
from framings_client import Client

from tests.system.client_support import COMMAND, H20, README, VEU
from tests.system.third_party import WritableServer

pytestmark = pytest.mark.slow  # a live server
WRITES = [
    line
    for block in re.findall(r"```sh-writes\n(.*?)```", README, flags=re.S)
    for line in block.splitlines()
    if line.startswith("framings ")
]
BAD = {"name": "Half a control", "direction": "sideways"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = WritableServer(tmp_path_factory.mktemp("cli-writes") / "framings.db")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def ran(server, tmp_path_factory):
    """Each README line run in order, from a folder holding the files it names."""
    folder = tmp_path_factory.mktemp("cli-files")
    client = Client(server.url)
    files = {
        "a4-patch.json": {"assessment": {"rationale": "Read again after the hearing."}},
        "chip.json": client.get("chips", "nvidia-h20").body | {"name": "Example chip"},
        "controls.json": {"controls": {"h20": H20, "broken": BAD}},
        "two-controls.json": [H20, VEU],
    }
    for name, document in files.items():
        (folder / name).write_text(json.dumps(document), encoding="utf-8")
    env = {**os.environ, "FRAMINGS_URL": server.url, "FRAMINGS_TOKEN": server.editor}
    results = {}
    for line in WRITES:
        command = f"{shlex.quote(str(COMMAND))} " + line.removeprefix("framings ")
        results[line] = subprocess.run(
            ["bash", "-c", command], cwd=folder, env=env, capture_output=True, text=True, timeout=60
        )
    return results


def result_of(ran, start: str) -> subprocess.CompletedProcess:
    return next(result for line, result in ran.items() if line.startswith(start))


def test_the_readme_shows_edits_releases_and_a_batch():
    commands = {line.split()[1] for line in WRITES}
    assert {"edit", "create", "delete", "release", "get", "batch", "compare"} <= commands


def test_every_write_example_but_the_failing_batch_exits_0(ran):
    for line, result in ran.items():
        if not line.startswith("framings batch"):
            assert result.returncode == 0, line + "\n" + result.stderr


def test_edit_sets_fields_by_path_with_a_note_in_any_language(ran, server):
    a4 = Client(server.url).get("assumptions", "a4")
    history = list(Client(server.url).history("assumptions", "a4"))
    edited = next(v for v in history if v.change_note == "Revisión: new evidence")
    assert edited.body["assessment"]["credence"] == 0.2
    assert edited.body["assessment"]["status"] == "weakening"
    assert a4.body["assessment"]["rationale"] == "Read again after the hearing."


def test_the_release_reads_back_the_version_it_froze(ran, server):
    shown = json.loads(result_of(ran, "framings get assumptions/a4 --release").stdout)
    frozen = Client(server.url).release("july-review").manifest["assumptions/a4"]
    assert shown["version"] == frozen and shown["change_note"] == "From a merge-patch file"
    assert "july-review" in result_of(ran, "framings release list").stdout


def test_create_and_delete_leave_a_tombstone(ran, server):
    versions = list(Client(server.url).history("chips", "example-chip"))
    assert [v.deleted for v in versions] == [False, True]


def test_a_batch_with_a_bad_control_exits_1_and_names_its_fields(ran):
    result = result_of(ran, "framings batch")
    assert result.returncode == 1 and "# h20:" in result.stdout
    assert "framings: control 'broken' failed: 422" in result.stderr
    assert "\n  direction: " in result.stderr and "\n  instrument: " in result.stderr


def test_a_batch_in_json_names_the_failed_control_too(server, tmp_path):
    (tmp_path / "controls.json").write_text(json.dumps({"controls": {"h20": H20, "x": BAD}}))
    result = subprocess.run(
        [str(COMMAND), "batch", "controls.json", "--url", server.url],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and json.loads(result.stdout)["results"]["x"]["errors"]
    assert "control 'x' failed" in result.stderr


def test_compare_prints_the_controls_side_by_side(ran):
    out = result_of(ran, "framings compare").stdout
    assert out.startswith("# Compared controls") and "| H20 " in out and "| VEU " in out
