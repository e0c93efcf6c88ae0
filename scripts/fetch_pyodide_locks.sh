#!/usr/bin/env bash
# Fetches pyodide-lock.json (the packages Pyodide has compiled for WebAssembly, with versions)
# of the Pyodide release xlwings Lite runs and of the newest release, for
# tests/test_lite_dependencies.py (called by scripts/install_system_deps.sh). `npm pack` downloads the pyodide npm package (~6 MB) without
# installing anything; only its pyodide-lock.json is kept.
#
# Usage: scripts/fetch_pyodide_locks.sh [cache folder]   (default: .cache/pyodide-locks)
# Layout: <cache>/<version>/pyodide-lock.json, and <cache>/newest naming the newest version.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${1:-${NPS_XL_PYODIDE_LOCKS:-.cache/pyodide-locks}}"
mkdir -p "$cache"
command -v npm >/dev/null 2>&1 || { echo "fetch_pyodide_locks: npm is missing (scripts/install_system_deps.sh installs it)." >&2; exit 1; }
# the version nps_xl.excel.lite names (read from the source: this runs before nps-xl is installed)
lite=$(sed -n 's/^PYODIDE_VERSION = "\(.*\)"$/\1/p' nps_xl/excel/lite.py)
[ -n "$lite" ] || { echo "fetch_pyodide_locks: no PYODIDE_VERSION in nps_xl/excel/lite.py" >&2; exit 1; }
newest=$(npm view pyodide version)
for version in "$lite" "$newest"; do
  target="$cache/$version/pyodide-lock.json"
  [ -s "$target" ] && continue
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent "pyodide@$version" >/dev/null && tar xzf pyodide-*.tgz package/pyodide-lock.json)
  mkdir -p "$cache/$version"
  mv "$work/package/pyodide-lock.json" "$target"
  rm -rf "$work"
done
echo "$newest" >"$cache/newest"
echo "Pyodide lock files: $lite (xlwings Lite) and $newest (newest) in $cache"
