#!/usr/bin/env bash
# Install the Debian packages named on the command line that are missing (as root);
# without root, list what is missing and fail if any is.
#   postgresql          the throwaway test database server
#   chromium            browser tests (Playwright drives Debian's Chromium)
#   fonts-noto-cjk      Chinese glyphs in PDF documents and screenshots
#   fonts-arphic-ukai   the PDF body face (AR PL UKai CN) standing in for 仿宋: Debian packages
#                       no 仿宋 that covers simplified Chinese (cwTeX 仿宋 is Big5 only)
#   libpango-1.0-0 ...  WeasyPrint's native libraries
set -euo pipefail
missing=()
for pkg in "$@"; do
  case "$pkg" in
    postgresql) ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && continue ;;
    chromium) command -v chromium >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ]; then
  echo "== installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "missing Debian packages (run as root, or: sudo apt-get install ${missing[*]}): ${missing[*]}" >&2
  exit 1
fi
