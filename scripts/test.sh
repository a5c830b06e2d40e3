#!/usr/bin/env bash
# The test command (README): installs the independent third-party peers the
# conformance tests compare against into .venv, then runs every test in the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r .ci/requirements.txt
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r .ci/requirements-nodeps.txt
export SKYWATCH_PYTHON="$PWD/.venv/bin/python"
cargo test --workspace --locked "$@"
