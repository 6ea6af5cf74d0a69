#!/usr/bin/env bash
# Lists the C++ files under engine/, models/, tests/, bench/, python/src/ and examples/ that are not formatted as the
# repository's .clang-format says (clang-format-14, Debian package clang-format-14), and
# exits 1 if there is any. It changes nothing: to format a file, run
#   clang-format-14 -i FILE
# The tree was formatted once, in a commit of its own; ctest runs this check as the test
# `clang_format` (label style), so CI fails on an unformatted file.
#
#   scripts/check_format.sh            # every file
#   scripts/check_format.sh -q         # only the count
#   scripts/check_format.sh FILE...    # these files
#   scripts/check_format.sh --changed [BASE]
#                                      # only the lines changed since BASE (default: main),
#                                      # committed or not: prints the diff that would format
#                                      # them (git clang-format), exits 1 if there is one.
#                                      # Lets new code be held to the style before the tree
#                                      # is formatted once, without touching other lines.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

clang_format="${CLANG_FORMAT:-clang-format-14}"
if ! command -v "$clang_format" >/dev/null; then
  echo "check_format: error: $clang_format not found (Debian: apt-get install clang-format-14)" >&2
  exit 3
fi

if [[ "${1:-}" == "--changed" ]]; then
  base="${2:-main}"
  if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
    echo "check_format: error: --changed $base: no such commit or branch" >&2
    exit 2
  fi
  git_clang_format="git-${clang_format}"
  command -v "$git_clang_format" >/dev/null || git_clang_format="git-clang-format"
  diff="$("$git_clang_format" --binary "$clang_format" --diff "$base" -- engine models tests bench python/src examples 2>&1 || true)"
  if [[ -z "$diff" || "$diff" == "no modified files to format" || "$diff" == *"did not modify any files"* ]]; then
    echo "check_format: the lines changed since $base are formatted as .clang-format says" >&2
    exit 0
  fi
  printf '%s\n' "$diff"
  echo "check_format: lines changed since $base are not formatted as .clang-format says (the diff above)" >&2
  exit 1
fi

quiet=0
if [[ "${1:-}" == "-q" ]]; then quiet=1; shift; fi

if (($#)); then
  files=("$@")
else
  mapfile -t files < <(git ls-files -- 'engine/*.cpp' 'engine/*.hpp' \
                                        'models/*.cpp' 'models/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'bench/*.hpp' \
                                        'python/src/*.cpp' 'examples/*.cpp' |
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
