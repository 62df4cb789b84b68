#!/usr/bin/env bash
# Installs everything skiff needs on a fresh Debian 12 machine (as root): Debian packages, then npm packages,
# then the test images (built offline from busybox-static).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
have() { command -v "$1" >/dev/null; }
# etcd: the HA storage backend, its tests and bench/storage.ts
have etcd || need+=(etcd-server)
have etcdctl || need+=(etcd-client)
# a real node: containerd + runc, the CNI plugins, iptables for CNI masquerading and hostPorts
have containerd || need+=(containerd)
have runc || need+=(runc)
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
have iptables || need+=(iptables)
# offline images: busybox-static packed with umoci and exported with skopeo; a local registry for pull tests
have umoci || need+=(umoci)
have skopeo || need+=(skopeo)
[ -x /bin/busybox ] || need+=(busybox-static)
have docker-registry || need+=(docker-registry)
have ip || need+=(iproute2)
if [ ${#need[@]} -gt 0 ] && have apt-get; then
  echo "== installing Debian packages: ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" || echo "warning: could not install ${need[*]}" >&2
fi
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing npm packages (with Node 24 pinned as the npm package 'node')"
  npm ci --no-audit --no-fund
fi
if [ -x scripts/build-images.sh ] && have umoci && have skopeo; then
  echo "== building the test images (busybox, pause, busybox-nonroot) into build/images"
  bash scripts/build-images.sh
fi
