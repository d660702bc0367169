#!/usr/bin/env bash
# Creates bench/.venv (Debian's python3 with its numpy/torch/onnx visible)
# and installs the pinned peers from PyPI.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dpkg-query -W -f='${Status}' python3-venv 2>/dev/null | grep -q 'install ok installed' ||
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; }
[ -x "$here/.venv/bin/python" ] ||
  /usr/bin/python3 -m venv --system-site-packages "$here/.venv"
"$here/.venv/bin/pip" install -q -r "$here/requirements.txt"
