#!/usr/bin/env bash
# Installs what the tests need outside Python on Debian/Ubuntu: LibreOffice headless (the real
# spreadsheet engine that recalculates our workbooks), poppler (PDF -> PNG) and a CJK font so the
# rendered dashboards show Chinese text, and R, which re-derives the statistics' reference numbers. Skips the install when everything is already present.
set -euo pipefail
need=0
command -v soffice >/dev/null 2>&1 || need=1
command -v pdftoppm >/dev/null 2>&1 || need=1
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need=1
command -v Rscript >/dev/null 2>&1 || need=1
if [ "$need" = 0 ]; then
  echo "LibreOffice, poppler and CJK fonts are already installed."
  exit 0
fi
sudo_cmd=""
[ "$(id -u)" = 0 ] || sudo_cmd="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get update -qq
$sudo_cmd apt-get install -y -qq --no-install-recommends \
  libreoffice-calc-nogui python3-uno poppler-utils fonts-noto-cjk fontconfig r-base-core >/dev/null
soffice --version
