#!/usr/bin/env bash
# Fails when C++ sources use LLVM-22-deprecated MLIR APIs: the builder
# `create<OpTy>` form (use `OpTy::create(builder, ...)`) and
# `applyPatternsAndFoldGreedily` (use `applyPatternsGreedily`).
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root"
pattern='(\.|->)create<|applyPatternsAndFoldGreedily'
hits=$(git ls-files -- '*.cpp' '*.h' '*.td' 2>/dev/null | xargs -r grep -nHE "$pattern" || true)
if [ -n "$hits" ]; then
  echo "deprecated LLVM-22 API uses found:"
  echo "$hits"
  exit 1
fi
echo "no deprecated LLVM-22 API uses in $(git ls-files -- '*.cpp' '*.h' '*.td' | wc -l) files"
