#!/bin/sh
# Builds the test images offline from Debian's busybox-static with umoci and
# skopeo, as docker-archive tars that `ctr images import` / `skiff image import` take:
#   OUTDIR/busybox.tar  docker.io/library/busybox:1.35  (busybox, applets in /bin, passwd/group, /tmp; cmd sh)
#   OUTDIR/pause.tar    docker.io/skiff/pause:1         (sandbox image: sleeps, exits 0 on SIGTERM)
#   OUTDIR/busybox-nonroot.tar  docker.io/skiff/busybox-nonroot:1  (busybox whose config runs as uid 65534)
# Usage: scripts/build-images.sh [OUTDIR]   (default <repo>/build/images)
# Idempotent: an image whose tar is newer than this script is not rebuilt.
set -eu

SCRIPT=$(readlink -f "$0")
REPO=$(dirname "$(dirname "$SCRIPT")")
OUT=${1:-$REPO/build/images}
BUSYBOX=${BUSYBOX:-/bin/busybox}

for tool in umoci skopeo "$BUSYBOX"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build-images: $tool not found (apt-get install umoci skopeo busybox-static)" >&2; exit 1; }
done
mkdir -p "$OUT"

fresh() { [ -f "$1" ] && [ "$1" -nt "$SCRIPT" ]; }

# build NAME REF FILLFN CONFIG-ARGS...: one-layer image from a rootfs that FILLFN fills.
build() {
  name=$1 ref=$2 fill=$3; shift 3
  tar_file="$OUT/$name.tar"
  if fresh "$tar_file"; then echo "build-images: $tar_file is up to date"; return 0; fi
  work=$(mktemp -d "${TMPDIR:-/tmp}/skiff-image-$name.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  umoci init --layout "$work/oci"
  umoci new --image "$work/oci:img"
  umoci unpack --image "$work/oci:img" "$work/bundle" >/dev/null
  "$fill" "$work/bundle/rootfs"
  umoci repack --image "$work/oci:img" "$work/bundle"
  umoci config --image "$work/oci:img" --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
  # Write beside the target then rename, so concurrent builders never see half a tar.
  rm -f "$work/out.tar"
  skopeo copy --quiet "oci:$work/oci:img" "docker-archive:$work/out.tar:$ref"
  mv -f "$work/out.tar" "$tar_file"
  rm -rf "$work"
  trap - EXIT
  echo "build-images: wrote $tar_file ($ref)"
}

busybox_fs() {
  root=$1
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/home" "$root/var/www" "$root/proc" "$root/sys" "$root/dev"
  chmod 1777 "$root/tmp"
  cp "$BUSYBOX" "$root/bin/busybox"
  # The applet called busybox must be skipped or the link replaces the binary.
  for applet in $("$BUSYBOX" --list); do
    [ "$applet" = busybox ] && continue
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$root/etc/group"
  : >"$root/etc/hosts"
  : >"$root/etc/resolv.conf"
}

pause_fs() {
  root=$1
  mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev"
  cp "$BUSYBOX" "$root/bin/busybox"
  ln -s busybox "$root/bin/sh"
  ln -s busybox "$root/bin/sleep"
  # PID 1 ignores SIGTERM unless it has a handler; the wait loop also reaps
  # orphans when the pod shares its PID namespace.
  cat >"$root/pause" <<'SH'
#!/bin/sh
trap 'exit 0' TERM INT
while :; do sleep 2147483647 & wait; done
SH
  chmod 755 "$root/pause"
}

build busybox docker.io/library/busybox:1.35 busybox_fs --config.cmd sh --config.workingdir /
build pause docker.io/skiff/pause:1 pause_fs --config.entrypoint /pause --config.workingdir /
build busybox-nonroot docker.io/skiff/busybox-nonroot:1 busybox_fs --config.cmd sh --config.workingdir / --config.user 65534
