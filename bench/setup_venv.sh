#!/usr/bin/env bash
# Creates bench/.venv (Debian's python3 with its numpy/torch/onnx visible)
# with the pinned peers from PyPI, and bench/.venv-torch with PyPI's torch
# (fbgemm; about 5 GB, its CUDA libraries included). OCTET_BENCH_NO_TORCH=1
# skips the latter: the benchmark then runs Debian's torch engines.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dpkg-query -W -f='${Status}' python3-venv 2>/dev/null | grep -q 'install ok installed' ||
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; }
[ -x "$here/.venv/bin/python" ] ||
  /usr/bin/python3 -m venv --system-site-packages "$here/.venv"
"$here/.venv/bin/pip" install -q -r "$here/requirements.txt"
if [ "${OCTET_BENCH_NO_TORCH:-0}" != 1 ]; then
  [ -x "$here/.venv-torch/bin/python" ] ||
    /usr/bin/python3 -m venv "$here/.venv-torch"
  "$here/.venv-torch/bin/pip" install -q -r "$here/requirements-torch.txt"
fi
