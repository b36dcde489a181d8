#!/usr/bin/env bash
# Third-party checkers the test suite runs (tests/system/test_openapi_tools.py, test_generated_client.py,
# test_html_validator.py): Spectral, Redocly CLI and the Nu HTML checker from npm (versions
# pinned in tests/tools/package.json and its lock file), and openapi-python-client in its own
# virtual environment (its dependencies must not mix with the app's).
# Idempotent: installs only what is missing. Never aborts the run: a test whose tool could not
# be installed skips, naming the tool.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS="$HERE/tools"
PYTHON="${PYTHON:-python3}"
OPENAPI_PYTHON_CLIENT="openapi-python-client==0.29.1"

if [ ! -x "$TOOLS/node_modules/.bin/spectral" ] || [ ! -x "$TOOLS/node_modules/.bin/redocly" ] ||
   [ ! -f "$TOOLS/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
  if command -v npm >/dev/null 2>&1; then
    (cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error) ||
      echo "tool-deps: npm could not install Spectral, Redocly and vnu-jar; their tests skip" >&2
  else
    echo "tool-deps: no npm; the Spectral, Redocly and Nu HTML checker tests skip" >&2
  fi
fi

if [ ! -x "$TOOLS/venv/bin/openapi-python-client" ]; then
  { "$PYTHON" -m venv "$TOOLS/venv" &&
    "$TOOLS/venv/bin/python" -m pip install --quiet "$OPENAPI_PYTHON_CLIENT"; } ||
    echo "tool-deps: could not install $OPENAPI_PYTHON_CLIENT; the generated-client test skips" >&2
fi
exit 0
