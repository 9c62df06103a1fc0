#!/usr/bin/env bash
# Build the one-folder desktop bundle: dist/rehearse/rehearse (+ dist/rehearse/_internal/).
# Works from any directory; build/ and dist/ are made at the repository root.
# Python: $PYTHON, else the active virtualenv's, else .venv/bin/python, else python3.
# See packaging/README.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [ -z "${PYTHON:-}" ]; then
  if [ -n "${VIRTUAL_ENV:-}" ] && [ -x "$VIRTUAL_ENV/bin/python" ]; then PYTHON="$VIRTUAL_ENV/bin/python"
  elif [ -x "$ROOT/.venv/bin/python" ]; then PYTHON="$ROOT/.venv/bin/python"
  else PYTHON="$(command -v python3)"
  fi
fi
echo "build.sh: python $PYTHON ($("$PYTHON" -c 'import sys; print(sys.version.split()[0])'))"

"$PYTHON" -c "import app" 2>/dev/null || {
  echo "build.sh: the app is not installed in this Python: $PYTHON -m pip install -e ." >&2; exit 1; }
"$PYTHON" -c "import PyInstaller" 2>/dev/null || "$PYTHON" -m pip install -q "pyinstaller>=6.5"

start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level "${PYI_LOG_LEVEL:-WARN}" \
  --workpath "$ROOT/build" --distpath "$ROOT/dist" "$ROOT/packaging/rehearse.spec"
secs=$(( $(date +%s) - start ))

[ -x "$ROOT/dist/rehearse/rehearse" ] || { echo "build.sh: dist/rehearse/rehearse was not built" >&2; exit 1; }
size_mb=$(du -sm "$ROOT/dist/rehearse" | cut -f1)
echo "build.sh: built dist/rehearse in ${secs} s (${size_mb} MB; $(find "$ROOT/dist/rehearse" -type f | wc -l) files)"
