#!/usr/bin/env bash
# Ensures Debian's chromium is present at /usr/bin/chromium (for test/browser, driven by
# playwright-core). Installs it with apt-get when missing (needs root, or sudo without a password).
# Safe to run concurrently (lock). Prints CHROMIUM_BIN=<path> on stdout.
set -euo pipefail

CHROMIUM_BIN="${CHROMIUM_BIN:-/usr/bin/chromium}"
log() { printf '[chromium-install] %s\n' "$*" >&2; }

if [[ -x "$CHROMIUM_BIN" ]]; then
  echo "CHROMIUM_BIN=$CHROMIUM_BIN"
  exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  log "$CHROMIUM_BIN is missing and apt-get needs root: run 'apt-get install -y chromium' as root"
  exit 1
fi

LOCK="${TMPDIR:-/tmp}/n8n-nodes-office365-events.chromium.lock"
exec 9>"$LOCK"
flock -w 1800 9

if [[ ! -x "$CHROMIUM_BIN" ]]; then
  export DEBIAN_FRONTEND=noninteractive
  start=$SECONDS
  log "apt-get update"
  "${SUDO[@]}" apt-get update -qq >&2
  log "apt-get install -y chromium"
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-liberation >&2
  log "installed in $((SECONDS - start)) s: $("$CHROMIUM_BIN" --version 2>/dev/null || echo '?')"
fi

if [[ ! -x "$CHROMIUM_BIN" ]]; then
  log "apt-get finished but $CHROMIUM_BIN is still missing"
  exit 1
fi
echo "CHROMIUM_BIN=$CHROMIUM_BIN"
