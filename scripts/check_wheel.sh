#!/usr/bin/env bash
# The release as a user gets it. Builds the sdist and, from it, the wheel (`python -m build`,
# so a file missing from either fails here), installs the wheel WITHOUT -e into a fresh virtual
# environment, and runs it from a folder outside the checkout: `nps-xl --version`, `demo`,
# `addin build|install|check`, `workbooks` (every template, Lite workbook and the .xlam).
#
# The environment sees the current Python's packages (--system-site-packages), so the heavy
# dependencies are not downloaded again; nps-xl itself is installed from the wheel into the
# environment, and scripts/check_installed.py proves that what runs is that copy (not an
# editable install of a checkout) and that every dependency the wheel declares is satisfied.
#
# Usage: bash scripts/check_wheel.sh [DIST_FOLDER]   (keeps the sdist and the wheel there)
# tests/test_release.py runs it, so the README's test command (and .ci/run) runs it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dist=${1:-$work/dist}
mkdir -p "$dist"
dist=$(cd "$dist" && pwd)
unset PYTHONPATH  # nothing of the checkout on the path
start=$(date +%s)

rm -f "$dist"/nps_xl-*
if ! "$python" -m build --outdir "$dist" "$root" >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  echo "check_wheel: python -m build failed" >&2
  exit 1
fi
wheel=$(ls "$dist"/nps_xl-*.whl)
echo "built $(basename "$dist"/nps_xl-*.tar.gz) and $(basename "$wheel")"

"$python" -m venv --system-site-packages "$work/venv"
venv_python="$work/venv/bin/python"
# --force-reinstall: into the new environment even when the outer one has nps-xl (editable);
# --no-deps: the dependencies come from the outer environment (check_installed.py checks them)
"$venv_python" -m pip install --quiet --disable-pip-version-check --no-input \
  --force-reinstall --no-deps "$wheel"

mkdir "$work/run"
cd "$work/run"  # outside the checkout: no workbook_templates/ next to anything
"$venv_python" "$root/scripts/check_installed.py" "$work/venv" "$wheel"
nps="$work/venv/bin/nps-xl"
version=$("$nps" --version)
echo "$version"
"$nps" demo --brief >demo.txt
test -s nps_demo_report.xlsx || { echo "check_wheel: nps-xl demo wrote no report" >&2; exit 1; }
grep -q "NPS" demo.txt
"$nps" addin build nps_xl.xlam
"$nps" addin install --dir xlstart
test -s xlstart/nps_xl.xlam
"$nps" addin check
"$nps" workbooks shipped
"$venv_python" "$root/scripts/check_installed.py" "$work/venv" "$wheel" --copied shipped
echo "check_wheel: the wheel installs and runs ($(( $(date +%s) - start )) s)"
