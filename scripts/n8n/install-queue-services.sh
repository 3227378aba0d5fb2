#!/usr/bin/env bash
# Finds (and when missing installs with apt-get) the servers the queue-mode suite starts:
# Redis (Debian's redis-server) and PostgreSQL (initdb, pg_ctl, postgres). Nothing is started or
# enabled as a system service: the suite runs its own instances on loopback ports in temp folders.
# Safe to run concurrently (lock). Prints REDIS_SERVER_BIN=<path> and PG_BIN_DIR=<dir> on stdout.
#   REDIS_SERVER_BIN / PG_BIN_DIR   use these instead of searching
set -euo pipefail

log() { printf '[queue-services] %s\n' "$*" >&2; }

find_redis() {
  if [[ -n "${REDIS_SERVER_BIN:-}" ]]; then echo "$REDIS_SERVER_BIN"; return; fi
  command -v redis-server 2>/dev/null || { [[ -x /usr/bin/redis-server ]] && echo /usr/bin/redis-server; } || true
}

# Debian keeps each major version's server binaries in /usr/lib/postgresql/<major>/bin, off PATH.
find_postgres() {
  if [[ -n "${PG_BIN_DIR:-}" ]]; then echo "$PG_BIN_DIR"; return; fi
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4nr) "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"; do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then echo "$dir"; return; fi
  done
}

redis_bin="$(find_redis)"
pg_dir="$(find_postgres)"

if [[ -z "$redis_bin" || -z "$pg_dir" ]]; then
  missing=()
  [[ -z "$redis_bin" ]] && missing+=(redis-server)
  [[ -z "$pg_dir" ]] && missing+=(postgresql)
  if [[ "$(id -u)" -eq 0 ]]; then
    SUDO=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    log "missing ${missing[*]} and apt-get needs root: run 'apt-get install -y ${missing[*]}' as root"
    exit 1
  fi
  exec 9>"${TMPDIR:-/tmp}/n8n-nodes-office365-events.queue-services.lock"
  flock -w 1800 9
  redis_bin="$(find_redis)"
  pg_dir="$(find_postgres)"
  missing=()
  [[ -z "$redis_bin" ]] && missing+=(redis-server)
  [[ -z "$pg_dir" ]] && missing+=(postgresql)
  if ((${#missing[@]} > 0)); then
    start=$SECONDS
    export DEBIAN_FRONTEND=noninteractive
    # Keep the packages' maintainer scripts from starting system-wide services on the default
    # ports (policy-rc.d 101 = "action not allowed"), unless a policy is already in place.
    guard=""
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      guard=/usr/sbin/policy-rc.d
      printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$guard" >/dev/null
      "${SUDO[@]}" chmod +x "$guard"
      trap '"${SUDO[@]}" rm -f "$guard"' EXIT
    fi
    log "apt-get update"
    "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    log "apt-get install -y ${missing[*]}"
    "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
    log "installed in $((SECONDS - start)) s"
    redis_bin="$(find_redis)"
    pg_dir="$(find_postgres)"
  fi
fi

if [[ -z "$redis_bin" ]]; then log "redis-server not found after installing"; exit 1; fi
if [[ -z "$pg_dir" ]]; then log "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found after installing"; exit 1; fi
log "redis: $redis_bin ($("$redis_bin" --version | head -n 1))"
log "postgres: $pg_dir ($("$pg_dir/postgres" --version))"
echo "REDIS_SERVER_BIN=$redis_bin"
echo "PG_BIN_DIR=$pg_dir"
