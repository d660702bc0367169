#!/usr/bin/env bash
# The README's main job: installs what is missing, builds Octet, and runs the
# bundled example model through an octet-opt pipeline.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${OCTET_BUILD_DIR:-$root/build}"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh"
opt="$build/bin/octet-opt"
echo "== examples/mlp.mlir: op counts before =="
"$opt" "$root/examples/mlp.mlir" --print-op-stats -o /dev/null
echo "== after canonicalize, cse (reshape pair folded, dead sigmoid removed) =="
"$opt" "$root/examples/mlp.mlir" --canonicalize --cse --print-op-stats
