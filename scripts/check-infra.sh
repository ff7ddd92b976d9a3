#!/usr/bin/env bash
# Type-checks sst.config.ts against the SST platform of the installed `sst` package, with no
# AWS account and no network except the npm registry.
#
# Why it is not just `tsc`: the types of sst.config.ts (`$config`, `sst.aws.*`, `aws.*`) live
# in .sst/platform, which `sst install` extracts from the CLI binary and completes with
# `bun install`. Every other SST command first downloads Pulumi from GitHub and fails offline;
# `install` skips that with SST_SKIP_DEPENDENCY_CHECK=1 and uses the bun binary we point it
# at (the npm package "bun") instead of downloading one. Its only traffic is then the npm
# registry (provider lookup and `bun install`) — checked with strace — once telemetry, which
# otherwise posts to telemetry.ion.sst.dev, is turned off.
#
# Usage: npm run infra:check   (exits non-zero with a one-line reason when it cannot check)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf 'check-infra: %s\n' "$*"; }
fail() { printf 'check-infra: error: %s\n' "$*" >&2; exit 1; }

sst_package="node_modules/sst/package.json"
sst_cli="node_modules/.bin/sst"
bun_bin="$root/node_modules/bun/bin/bun.exe"
tsc_bin="node_modules/.bin/tsc"
platform=".sst/platform"
# Written by this script after a complete `sst install`, so an install that died half-way
# (platform extracted, bun install not finished) is redone rather than trusted.
stamp="$platform/.check-infra-installed"

[[ -f sst.config.ts ]] || fail "sst.config.ts not found in $root"
[[ -f tsconfig.infra.json ]] || fail "tsconfig.infra.json not found in $root"
[[ -f "$sst_package" && -x "$sst_cli" ]] || fail "the sst package is not installed; run npm ci first"
[[ -x "$tsc_bin" ]] || fail "typescript is not installed; run npm ci first"

sst_version="$(node -p "require('./$sst_package').version")"

platform_version=""
[[ -f "$platform/version" ]] && platform_version="$(tr -d '[:space:]' < "$platform/version")"
stamp_version=""
[[ -f "$stamp" ]] && stamp_version="$(tr -d '[:space:]' < "$stamp")"

if [[ "$platform_version" == "$sst_version" && "$stamp_version" == "$sst_version" && -f "$platform/config.d.ts" ]]; then
  say "platform for sst $sst_version already in $platform"
else
  # The npm package's bun.exe is a text placeholder until bun's postinstall swaps in the
  # real binary; `npm ci --ignore-scripts` leaves the placeholder.
  "$bun_bin" --version > /dev/null 2>&1 \
    || fail "$bun_bin is not a working Bun binary (was npm ci run with --ignore-scripts?); run: npm rebuild bun"

  say "installing the SST $sst_version platform into $platform (${platform_version:+was $platform_version, }npm registry only)"
  rm -rf "$platform"
  # A throwaway HOME keeps SST's ~/.config/sst and bun's cache out of the user's home.
  sst_home="$(mktemp -d)"
  trap 'rm -rf "$sst_home"' EXIT
  install_log="$sst_home/install.log"
  started=$SECONDS
  # SST_STAGE: without a TTY the CLI refuses to run stage-less, even for `install`, which
  # neither reads nor writes any stage. CI=true keeps it from prompting.
  if ! HOME="$sst_home" \
    CI=true \
    SST_STAGE=typecheck \
    SST_SKIP_DEPENDENCY_CHECK=1 \
    SST_BUN_PATH="$bun_bin" \
    SST_TELEMETRY_DISABLED=1 \
    DO_NOT_TRACK=1 \
    "$sst_cli" install --print-logs < /dev/null > "$install_log" 2>&1; then
    tail -n 20 "$install_log" >&2
    fail "sst install failed (log tail above); it needs the npm registry to be reachable"
  fi
  [[ -f "$platform/config.d.ts" && -d "$platform/node_modules/@pulumi/aws" && -d "$platform/node_modules/@types/node" ]] \
    || { tail -n 20 "$install_log" >&2; fail "sst install finished but $platform is incomplete"; }
  printf '%s\n' "$sst_version" > "$stamp"
  say "platform installed in $((SECONDS - started)) s"
fi

say "type-checking sst.config.ts (tsc -p tsconfig.infra.json)"
started=$SECONDS
if ! "$tsc_bin" -p tsconfig.infra.json; then
  fail "sst.config.ts does not type-check against the SST $sst_version platform (errors above)"
fi
say "ok in $((SECONDS - started)) s"
