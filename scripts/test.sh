#!/usr/bin/env bash
# `npm test`: everything a fresh clone needs, then lint, type-check, build and every test suite.
# SKIP_E2E=1 skips the real-n8n and browser suites (quick local loop); CI runs them all.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules/n8n-core ] || [ ! -d node_modules/tsx ]; then
	echo "== installing dev dependencies (npm ci, scripts off per .npmrc)"
	npm ci --no-audit --no-fund
fi

echo "== type-check"
npx tsc -p tsconfig.test.json --noEmit
echo "== build"
npm run build --silent
echo "== lint (eslint; n8n's community-package scan of the source and the packed tarball)"
npm run lint --silent

files=(test/unit/*.test.ts test/integration/*.test.ts)
if [ "${SKIP_E2E:-0}" != "1" ]; then
	echo "== preparing the real n8n server and the packed package for end-to-end tests"
	bash scripts/n8n/install.sh
	# The build above is what the e2e suites pack.
	export N8N_E2E_SKIP_BUILD=1
	shopt -s nullglob
	files+=(test/e2e/*.test.ts test/browser/*.test.ts)
fi

echo "== tests (${#files[@]} files)"
exec node --import tsx --test --test-reporter=spec --test-reporter-destination=stdout "${files[@]}"
