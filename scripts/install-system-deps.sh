#!/usr/bin/env bash
# Debian packages the platform and its tests need: Python's venv, Chromium for the browser
# tests, a CJK font so generated PDFs and screenshots render Chinese, and the PostgreSQL client
# programs (pg_dump, pg_restore, psql) that `gongkai backup`/`restore` use on PostgreSQL, and
# poppler (pdftotext, pdfinfo, pdfdetach; poppler-data for CJK fonts that are not embedded),
# the independent reader that checks every published PDF after redaction (publishing/verify.py),
# and tesseract with Simplified Chinese, which reads scanned pages and pictures in PDFs before
# publication (publishing/ocr.py).
set -euo pipefail
# nginx: the reverse proxy of deploy/ and of its end-to-end test (gongkai/operations/tests/test_deploy_nginx.py).
PKGS=(python3-venv chromium fonts-noto-cjk postgresql-client poppler-utils poppler-data tesseract-ocr tesseract-ocr-chi-sim nginx-light)
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

# Another package manager (unattended-upgrades right after boot, a software centre, a second
# terminal) may hold apt's or dpkg's lock: wait for it, saying so, instead of failing at once.
LOCK_WAIT="${GONGKAI_APT_LOCK_WAIT:-600}"  # seconds
LOCK_POLL="${GONGKAI_APT_LOCK_POLL:-5}"
LOCKED='could not get lock|unable to acquire the dpkg|unable to lock|is another process using it'

apt_get() {
  local start=$SECONDS told="" out
  while true; do
    if out=$($SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$LOCK_POLL" "$@" 2>&1); then
      return 0
    fi
    if ! grep -qiE "$LOCKED" <<<"$out"; then
      printf '%s\n' "$out" >&2
      return 1
    fi
    if (( SECONDS - start >= LOCK_WAIT )); then
      printf '%s\n' "$out" >&2
      echo "The package manager is still busy after ${LOCK_WAIT}s; nothing was installed." >&2
      holders=$(ps -o pid=,args= -C apt,apt-get,dpkg,unattended-upgr,packagekitd 2>/dev/null || true)
      [ -n "$holders" ] && printf 'It is held by:\n%s\n' "$holders" >&2
      echo "Let it finish (or stop it), then run 'make demo' again; or install the packages yourself:" >&2
      echo "  sudo apt-get install ${missing[*]}" >&2
      echo "(GONGKAI_APT_LOCK_WAIT=seconds sets how long to wait.)" >&2
      exit 1
    fi
    if [ -z "$told" ]; then
      echo "Another package manager holds the apt/dpkg lock (often unattended-upgrades after boot);" \
        "waiting up to ${LOCK_WAIT}s for it to finish (GONGKAI_APT_LOCK_WAIT sets this)..." >&2
      told=1
    fi
    sleep "$LOCK_POLL"
  done
}

echo "Installing Debian packages: ${missing[*]}"
apt_get update -qq
apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
