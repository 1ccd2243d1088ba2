#!/usr/bin/env bash
# Runs the React component tests on React 18 too. react@18 cannot sit in the project's own
# node_modules beside react@19 (react-dom's peer dependency), so it goes into a cache directory.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=node_modules/.cache/engage-react18
if [ ! -f "$DIR/node_modules/react-dom/package.json" ]; then
  mkdir -p "$DIR"
  (cd "$DIR" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error react@^18.3.1 react-dom@^18.3.1 >/dev/null)
fi
REACT18_DIR="$PWD/$DIR/node_modules" npx jest -c client/jest.react18.config.js "$@"
