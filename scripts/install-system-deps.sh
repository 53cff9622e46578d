#!/usr/bin/env bash
# Debian packages the platform and its tests need: Python's venv, Chromium for the browser
# tests, a CJK font so generated PDFs and screenshots render Chinese, and the PostgreSQL client
# programs (pg_dump, pg_restore, psql) that `gongkai backup`/`restore` use on PostgreSQL, and
# poppler (pdftotext, pdfinfo, pdfdetach; poppler-data for CJK fonts that are not embedded),
# the independent reader that checks every published PDF after redaction (publishing/verify.py),
# and tesseract with Simplified Chinese, which reads scanned pages and pictures in PDFs before
# publication (publishing/ocr.py).
set -euo pipefail
PKGS=(python3-venv chromium fonts-noto-cjk postgresql-client poppler-utils poppler-data tesseract-ocr tesseract-ocr-chi-sim)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "Please install: ${missing[*]} (no apt-get on this machine)" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "Installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
