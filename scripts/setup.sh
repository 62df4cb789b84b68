#!/usr/bin/env bash
# Installs everything skiff needs on a fresh Debian 12 machine (as root): Debian packages, then npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
# (Debian packages for the node runtime join this list when real nodes land)
# etcd: the HA storage backend, its tests and bench/storage.ts
command -v etcd >/dev/null || need+=(etcd-server)
command -v etcdctl >/dev/null || need+=(etcd-client)
if [ ${#need[@]} -gt 0 ] && command -v apt-get >/dev/null; then
  echo "== installing Debian packages: ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" || echo "warning: could not install ${need[*]}" >&2
fi
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing npm packages (with Node 24 pinned as the npm package 'node')"
  npm ci --no-audit --no-fund
fi
