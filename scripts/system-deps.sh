#!/usr/bin/env bash
# Installs the Debian packages the system and its tests use, only when one is missing:
# real CJK fonts for documents (DejaVu for the ☐/☑ boxes Noto CJK lacks), libmagic for upload checks, Pango for WeasyPrint, Chromium for the
# browser journeys, GNU gettext for compiling the English catalogue. Never downloads a browser build of its own.
set -euo pipefail
packages=(fonts-noto-cjk fonts-dejavu-core libmagic1 libpango-1.0-0 libpangoft2-1.0-0 chromium gettext)
# scripts/render-documents.sh (every document to PNG) also needs poppler and LibreOffice headless;
# the test suite does not, so they are installed only when asked: system-deps.sh --render
if [ "${1:-}" = "--render" ]; then
  packages+=(poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui)
fi
# scripts/multiserver.sh (the CI stage of the production layout) puts nginx before the servers.
if [ "${1:-}" = "--multiserver" ]; then
  packages+=(nginx-light curl)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
