#!/usr/bin/env bash
# The whole test suite: installs what it needs, type-checks, runs unit then end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node_modules/.bin/tsc --noEmit -p .
echo "== unit tests"
node_modules/.bin/node --disable-warning=ExperimentalWarning --test --test-concurrency=2 --test-reporter=spec 'src/**/*.test.ts'
echo "== end-to-end tests"
node_modules/.bin/node --disable-warning=ExperimentalWarning --test --test-concurrency=1 --test-reporter=spec 'test/e2e/**/*.test.ts'
