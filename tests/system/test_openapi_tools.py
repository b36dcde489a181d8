"""Third-party linters find no error in the OpenAPI document: Spectral (spectral:oas) and
Redocly CLI (its recommended rules). Both are installed by tests/tool-deps.sh; their warnings
are advice (descriptions, a license), not errors, and are left to the reader of their output."""

import json
import subprocess

import pytest

from tests.system.third_party import node_tool, write_document

pytestmark = pytest.mark.slow


def test_spectral_finds_no_error_in_the_openapi_document(client, tmp_path):
    document = write_document(client, tmp_path)
    ruleset = tmp_path / ".spectral.yaml"
    ruleset.write_text('extends: ["spectral:oas"]\n')
    result = subprocess.run(
        [*node_tool("spectral"), "lint", "-r", str(ruleset), "-f", "json", str(document)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    findings = json.loads(result.stdout[result.stdout.index("[") :])
    errors = [f for f in findings if f["severity"] == 0]
    assert errors == [], json.dumps(errors, indent=1)


def test_redocly_finds_no_error_in_the_openapi_document(client, tmp_path):
    document = write_document(client, tmp_path)
    result = subprocess.run(
        [*node_tool("redocly"), "lint", "--format", "json", str(document)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    report = json.loads(result.stdout[result.stdout.index("{") :])
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert errors == [] and report["totals"]["errors"] == 0, json.dumps(errors, indent=1)
