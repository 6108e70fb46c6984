#!/usr/bin/env bash
# Install the Debian packages the outputs need, once; refresh the font cache after installing fonts.
# Usage: scripts/system-packages.sh PACKAGE...   (as root; otherwise prints the exact command to run)
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]} && fc-cache -f"
if [ "$(id -u)" -ne 0 ]; then
  echo "servicedir needs these system packages: ${missing[*]}" >&2
  echo "Run as root, then run make again:" >&2
  echo "  sudo sh -c '$line'" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fc-cache -f >/dev/null  # a stale cache makes WeasyPrint look fonts up for seconds per document
