#!/usr/bin/env bash
# Lists the C++ files under engine/, tests/ and bench/ that are not formatted as the
# repository's .clang-format says (clang-format-14, Debian package clang-format-14), and
# exits 1 if there is any. It changes nothing: to format a file, run
#   clang-format-14 -i FILE
# (The tree is to be formatted once, in a commit of its own; until then this check is not
# part of CI.)
#
#   scripts/check_format.sh            # every file
#   scripts/check_format.sh -q         # only the count
#   scripts/check_format.sh FILE...    # these files
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

clang_format="${CLANG_FORMAT:-clang-format-14}"
if ! command -v "$clang_format" >/dev/null; then
  echo "check_format: error: $clang_format not found (Debian: apt-get install clang-format-14)" >&2
  exit 3
fi

quiet=0
if [[ "${1:-}" == "-q" ]]; then quiet=1; shift; fi

if (($#)); then
  files=("$@")
else
  mapfile -t files < <(git ls-files -- 'engine/*.cpp' 'engine/*.hpp' \
                                        'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'bench/*.hpp' |
                       grep -E '\.(cpp|hpp)$' | sort)
fi

unformatted=0
for f in "${files[@]}"; do
  if ! "$clang_format" --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
    ((quiet)) || echo "$f"
    unformatted=$((unformatted + 1))
  fi
done

echo "check_format: ${unformatted} of ${#files[@]} files not formatted as .clang-format says" >&2
((unformatted == 0))
