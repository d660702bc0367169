#!/usr/bin/env bash
# Regenerates the dialect reference from ODS and copies it into docs/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${OCTET_BUILD_DIR:-$root/build}"
ninja -C "$build" octet-doc
cp "$build/docs/Octet/OctetDialect.md" "$root/docs/dialect/OctetDialect.md"
echo "updated docs/dialect/OctetDialect.md"
