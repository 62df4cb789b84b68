#!/usr/bin/env bash
# Runs every benchmark under bench/ in turn; each prints its own figures and goals.
set -uo pipefail
cd "$(dirname "$0")/.."
for b in bench/*.ts; do
  echo "== $b"
  node_modules/.bin/node --disable-warning=ExperimentalWarning "$b" || echo "(benchmark $b failed)"
done
