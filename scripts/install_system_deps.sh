#!/usr/bin/env bash
# Installs what the tests need outside Python on Debian: LibreOffice headless (the real
# spreadsheet engine that recalculates our workbooks), poppler (PDF -> PNG), a CJK font so the
# rendered dashboards show Chinese text, R with its survey package (it re-derives the
# statistics' reference numbers), and npm, which fetches the Pyodide package lists
# (scripts/fetch_pyodide_locks.sh).
#
# LibreOffice comes from bookworm-backports (a current release) when the machine runs Debian
# bookworm; the backports line reuses the mirror of the machine's own configured Debian source.
# Should that fail, Debian's default LibreOffice (7.4) is installed instead: every formula we ship
# uses only functions it evaluates, and the tests pass on both.
# Skips the install when everything is already present.
set -euo pipefail
need=0
command -v soffice >/dev/null 2>&1 || need=1
command -v pdftoppm >/dev/null 2>&1 || need=1
command -v Rscript >/dev/null 2>&1 || need=1
# the R references of the weighted statistics use the survey package (r-cran-survey)
Rscript -e "library(survey)" >/dev/null 2>&1 || need=1
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need=1
command -v java >/dev/null 2>&1 || need=1
command -v npm >/dev/null 2>&1 || need=1
if [ "$need" = 0 ]; then
  echo "LibreOffice $(soffice --version | awk '{print $2}'), poppler, R and CJK fonts are present."
  bash "$(dirname "$0")/fetch_pyodide_locks.sh"
  exit 0
fi
sudo_cmd=""
[ "$(id -u)" = 0 ] || sudo_cmd="sudo"
export DEBIAN_FRONTEND=noninteractive

codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
mirror=""
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
elif [ -f /etc/apt/sources.list ]; then
  mirror=$(awk -v c="$codename" '$1 == "deb" && $3 == c {print $2; exit}' /etc/apt/sources.list)
fi
backports=""
if [ "$codename" = "bookworm" ] && [ -n "$mirror" ]; then
  printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: %s\n' \
    "$mirror" /usr/share/keyrings/debian-archive-keyring.gpg |
    $sudo_cmd tee /etc/apt/sources.list.d/nps-xl-backports.sources >/dev/null
  backports="-t bookworm-backports"
fi

$sudo_cmd apt-get update -qq
apt_install() {
  $sudo_cmd apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
apt_install poppler-utils fonts-noto-cjk fontconfig r-base-core r-cran-survey
command -v java >/dev/null 2>&1 || apt_install default-jre-headless # Spark engine (Java 17+)
command -v npm >/dev/null 2>&1 || apt_install npm # Pyodide lock files (fetch_pyodide_locks.sh)
# shellcheck disable=SC2086  # $backports is empty or two words on purpose
if ! apt_install $backports libreoffice-calc-nogui python3-uno; then
  echo "LibreOffice from bookworm-backports failed; installing Debian's default release."
  apt_install libreoffice-calc-nogui python3-uno
fi
soffice --version
bash "$(dirname "$0")/fetch_pyodide_locks.sh" # Pyodide package lists for the Lite tests
