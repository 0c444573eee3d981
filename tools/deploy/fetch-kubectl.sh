#!/usr/bin/env bash
# Fetches Debian's kubectl (for `kubectl kustomize`) into .stack/cache/kubectl/<suite>/ and prints its path.
#
#   tools/deploy/fetch-kubectl.sh            # bookworm: kubernetes-client 1.20 (built-in kustomize v2.0.3)
#   tools/deploy/fetch-kubectl.sh trixie     # trixie:   kubectl 1.32 (built-in kustomize v5.5)
#
# Verified end to end, nothing trusted on the way: the suite's InRelease is checked with gpgv against
# Debian's archive keyring (when gpgv and the keyring are installed, as on any Debian), Packages.xz against
# the SHA256 in InRelease, the .deb against the SHA256 in Packages. Cached: a second run with the binary
# present and matching its recorded checksum downloads nothing (works offline).
# Needs curl, xz, sha256sum, and dpkg-deb or ar+tar. DEBIAN_MIRROR overrides https://deb.debian.org/debian.
set -euo pipefail

SUITE="${1:-bookworm}"
case "$SUITE" in
  bookworm) PACKAGE=kubernetes-client ;; # kubectl is in kubernetes-client up to 1.30
  trixie) PACKAGE=kubectl ;;             # from 1.31, kubernetes-client is a transitional package
  *) echo "fetch-kubectl: unknown suite $SUITE (bookworm or trixie)" >&2 && exit 2 ;;
esac
case "$(uname -m)" in
  x86_64) ARCH=amd64 ;;
  aarch64 | arm64) ARCH=arm64 ;;
  *) echo "fetch-kubectl: unsupported machine $(uname -m)" >&2 && exit 2 ;;
esac
MIRROR="${DEBIAN_MIRROR:-https://deb.debian.org/debian}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="$ROOT/.stack/cache/kubectl/$SUITE-$ARCH"
BIN="$CACHE/kubectl"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

log() { printf 'fetch-kubectl: %s\n' "$*" >&2; }
sha256() { sha256sum "$1" | cut -d' ' -f1; }

if [ -x "$BIN" ] && [ -f "$CACHE/kubectl.sha256" ] && [ "$(sha256 "$BIN")" = "$(cat "$CACHE/kubectl.sha256")" ]; then
  echo "$BIN"
  exit 0
fi

mkdir -p "$CACHE"
WORK="$(mktemp -d "$CACHE/.fetch.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
fetch() { curl -fsSL --retry 3 --connect-timeout 20 -o "$2" "$1"; }

log "$MIRROR/dists/$SUITE/InRelease"
fetch "$MIRROR/dists/$SUITE/InRelease" "$WORK/InRelease"
if command -v gpgv > /dev/null && [ -f "$KEYRING" ]; then
  gpgv --keyring "$KEYRING" "$WORK/InRelease" 2> "$WORK/gpgv.log" || {
    cat "$WORK/gpgv.log" >&2
    log "InRelease signature does not verify"
    exit 1
  }
else
  log "warning: gpgv or $KEYRING missing; InRelease signature not verified (checksums still are)"
fi

INDEX="main/binary-$ARCH/Packages.xz"
INDEX_SHA="$(awk -v f="$INDEX" '/^SHA256:/ { s = 1; next } /^[^ ]/ { s = 0 } s && $3 == f { print $1 }' "$WORK/InRelease")"
[ -n "$INDEX_SHA" ] || { log "no SHA256 for $INDEX in InRelease"; exit 1; }
fetch "$MIRROR/dists/$SUITE/$INDEX" "$WORK/Packages.xz"
[ "$(sha256 "$WORK/Packages.xz")" = "$INDEX_SHA" ] || { log "Packages.xz checksum mismatch"; exit 1; }

xz -dc "$WORK/Packages.xz" | awk -v p="$PACKAGE" 'BEGIN { RS = ""; FS = "\n" } !found && $1 == "Package: " p { print; found = 1 }' > "$WORK/stanza"
FILENAME="$(sed -n 's/^Filename: //p' "$WORK/stanza")"
DEB_SHA="$(sed -n 's/^SHA256: //p' "$WORK/stanza")"
VERSION="$(sed -n 's/^Version: //p' "$WORK/stanza")"
[ -n "$FILENAME" ] && [ -n "$DEB_SHA" ] || { log "$PACKAGE not found in $SUITE/$INDEX"; exit 1; }

log "$PACKAGE $VERSION ($FILENAME)"
fetch "$MIRROR/$FILENAME" "$WORK/package.deb"
[ "$(sha256 "$WORK/package.deb")" = "$DEB_SHA" ] || { log ".deb checksum mismatch"; exit 1; }

mkdir -p "$WORK/root"
if command -v dpkg-deb > /dev/null; then
  dpkg-deb -x "$WORK/package.deb" "$WORK/root"
else
  (cd "$WORK" && ar x package.deb && tar -xf data.tar.* -C root)
fi
[ -x "$WORK/root/usr/bin/kubectl" ] || { log "no usr/bin/kubectl in $FILENAME"; exit 1; }
mv "$WORK/root/usr/bin/kubectl" "$BIN"
sha256 "$BIN" > "$CACHE/kubectl.sha256"
printf '%s %s %s\n' "$PACKAGE" "$VERSION" "$DEB_SHA" > "$CACHE/source.txt"
echo "$BIN"
