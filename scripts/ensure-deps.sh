#!/usr/bin/env bash
# Makes sure the tools that `make test` needs are present: Node.js (wasm tests),
# Debian's Chromium (browser tests), the OCR-B font (MRZ rendering) and
# redis-server (shared use-count tests). As root with apt-get it installs what
# is missing; otherwise it stops and prints the exact command to run.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -e /usr/share/fonts/opentype/ocr-b/OCRB.otf ] || need+=(fonts-ocr-b)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-deps: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  exit 0
fi
echo "make test needs: ${need[*]}" >&2
echo "install them with:  sudo apt-get install -y ${need[*]}" >&2
exit 1
