#!/usr/bin/env bash
# The site's browser tests drive Debian's Chromium (a browser download is not possible here).
# Install it when it is missing and we can; otherwise say how.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "test: installing Debian's chromium for the browser tests" >&2
  if apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && [ -x "$chromium" ]; then
    exit 0
  fi
  echo "test: apt-get could not install chromium; install it by hand or set CHROMIUM_PATH to a Chromium or Chrome binary." >&2
  exit 1
fi
echo "test: no Chromium at $chromium. Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH." >&2
exit 1
