#!/usr/bin/env bash
# Print the path of a working Python interpreter of version $1 (e.g. 3.10 or 3.11).
# Looks on PATH first, then in pyenv's versions, then in uv's managed Pythons.
set -euo pipefail
want="$1"
works() { "$1" -c "import sys, venv; assert sys.version_info[:2] == tuple(map(int, '$want'.split('.')))" >/dev/null 2>&1; }
for candidate in "python$want" "/usr/bin/python$want" "/usr/local/bin/python$want"; do
  if command -v "$candidate" >/dev/null 2>&1 && works "$candidate"; then command -v "$candidate"; exit 0; fi
done
if command -v pyenv >/dev/null 2>&1; then
  for candidate in $(ls -d "$(pyenv root)"/versions/"$want"*/bin/python"$want" 2>/dev/null | sort -V -r); do
    if works "$candidate"; then echo "$candidate"; exit 0; fi
  done
fi
if command -v uv >/dev/null 2>&1; then
  candidate=$(uv python find "$want" 2>/dev/null || true)
  if [ -n "$candidate" ] && works "$candidate"; then echo "$candidate"; exit 0; fi
fi
echo "error: Python $want was not found (looked on PATH, in pyenv and in uv). Install it, e.g. 'pyenv install $want'." >&2
exit 1
