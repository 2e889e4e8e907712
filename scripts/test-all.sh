#!/usr/bin/env bash
# Runs every test: type check, unit tests (Node), then the built extension in Chromium and (where installed)
# Firefox ESR: tests/browser/firefox.test.ts builds the Firefox extension itself and drives it over WebDriver BiDi.
# Ends with one plain "N passed, N failed" line and a non-zero exit on any failure.
set -u
cd "$(dirname "$0")/.."
mkdir -p test-results
rm -f test-results/unit.json test-results/browser.json
status=0

echo "== type check"
npx tsc --noEmit || status=1

echo "== unit tests"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/unit.json || status=1

echo "== build extension"
if npx wxt build; then
  echo "== browser tests (built extension in Chromium, and in Firefox where installed)"
  npx vitest run --config vitest.browser.config.ts --reporter=default --reporter=json --outputFile.json=test-results/browser.json || status=1
else
  echo "build failed: browser tests not run"
  status=1
fi

echo "== Firefox build and web-ext lint"
node scripts/lint-firefox.mjs || status=1

node scripts/test-summary.mjs test-results/unit.json test-results/browser.json || status=1
exit $status
