#!/usr/bin/env bash
# Render every generated document to PNG (see scripts/render_documents.py): PDFs through pdftoppm,
# .docx and .xlsx through LibreOffice headless (fonts mapped by config/fontconfig/fonts.conf).
# Needs poppler-utils, libreoffice-writer-nogui and libreoffice-calc-nogui (scripts/system-deps.sh --render).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-var/rendered}"
python="${PYTHON:-.venv/bin/python}"
mkdir -p "$out/png"
"$python" scripts/render_documents.py "$out" >/dev/null
export FONTCONFIG_FILE="$PWD/config/fontconfig/fonts.conf"
profile="$(mktemp -d)"
# .xlsx (汇总表, credit export) is printed by LibreOffice Calc with the sheet's own page setup.
for office in "$out"/*.docx "$out"/*.xlsx; do
  soffice -env:UserInstallation="file://$profile" --headless --convert-to pdf --outdir "$out/office" "$office" >/dev/null
done
for pdf in "$out"/*.pdf "$out"/office/*.pdf; do
  base="$(basename "$pdf" .pdf)"
  [ "$(dirname "$pdf")" = "$out/office" ] && base="$base.office"
  pdftoppm -r 60 -png "$pdf" "$out/png/$base"
done
rm -rf "$profile"
ls "$out/png" | wc -l
