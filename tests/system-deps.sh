#!/usr/bin/env bash
# System packages the test suite needs (Debian). Idempotent: installs only what is missing,
# so `make test` costs nothing extra on a machine that already has them.
# Add a package by appending "command package..." to NEEDED.
set -euo pipefail

NEEDED=(
  "chromium chromium chromium-driver"
  "chromedriver chromium chromium-driver"
  "nginx nginx"
  # The Nu HTML checker (tests/test_html_validator.py) runs on Java; npm installs it, Spectral
  # and Redocly (tests/tool-deps.sh).
  "java default-jre-headless"
  "npm nodejs npm"
  # A real MediaWiki for the publisher's tests (tests/system/mediawiki.py): Debian's 1.39 on
  # SQLite under PHP's built-in server; naming nginx keeps Apache out, and rsvg renders the
  # uploaded SVG charts (../shared/reference/wiki.md).
  "php-cgi mediawiki php8.2-cgi php-sqlite3 nginx"
  "rsvg-convert librsvg2-bin"
)

missing=()
for entry in "${NEEDED[@]}"; do
  read -r command packages <<<"$entry"
  command -v "$command" >/dev/null 2>&1 || missing+=($packages)
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: no apt-get; tests needing ${missing[*]} will be skipped" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  SUDO="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive
# Duplicates are harmless to apt-get install. Where installing is not allowed (not root, no
# sudo), the tests that need these packages skip rather than the whole run failing.
if ! { $SUDO apt-get update -qq && \
       $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
  echo "system-deps: could not install ${missing[*]}; tests needing them will be skipped" >&2
fi
