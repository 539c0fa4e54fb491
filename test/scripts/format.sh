#!/usr/bin/env bash
# The C++ sources keep the style of .clang-format: clang-format --dry-run --Werror on every
# *.h and *.cpp under src/, test/unit and test/fuzz. Fails with the list of the files it would
# change (and the start of each one's diff); fix them with
#     clang-format-14 -i <file>...
# Skipped (exit 77) when clang-format 14 is missing (clang-format-14 from Debian, which
# tools/lib.sh installs): the style is clang-format 14's, and another major version formats
# some constructs differently. CLANG_FORMAT names another binary. Needs no server: run it
# alone with `bash test/scripts/format.sh`.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

formatter=${CLANG_FORMAT:-}
if [ -z "$formatter" ]; then
    for candidate in clang-format-14 clang-format; do
        if command -v "$candidate" >/dev/null; then formatter=$candidate; break; fi
    done
fi
if [ -z "$formatter" ] || ! command -v "$formatter" >/dev/null; then
    echo "format: SKIPPED: clang-format is not installed (Debian package clang-format-14)"
    exit 77
fi
version=$("$formatter" --version | sed -n 's/.*clang-format version \([0-9]*\)\..*/\1/p')
if [ "$version" != 14 ]; then
    echo "format: SKIPPED: $formatter is version ${version:-unknown}, .clang-format is clang-format 14's" \
         "(install clang-format-14, or set CLANG_FORMAT)"
    exit 77
fi
if [ ! -f .clang-format ] || ! "$formatter" --style=file --dump-config >/dev/null; then
    echo "format: FAILED: .clang-format is missing or unreadable"
    exit 1
fi

mapfile -t files < <(find src test/unit test/fuzz -type f \( -name '*.h' -o -name '*.cpp' \) | sort)
if [ ${#files[@]} -eq 0 ]; then
    echo "format: FAILED: no source file found under src/, test/unit, test/fuzz"
    exit 1
fi

unformatted=()
for f in "${files[@]}"; do
    "$formatter" --style=file --dry-run --Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done

if [ ${#unformatted[@]} -eq 0 ]; then
    echo "format: ok, ${#files[@]} files as .clang-format has them ($formatter)"
    exit 0
fi
for f in "${unformatted[@]}"; do
    changed=$("$formatter" --style=file "$f" | diff "$f" - | grep -c '^[<>]')
    echo "not formatted: $f ($changed lines differ)"
    "$formatter" --style=file "$f" | diff -u "$f" - | tail -n +3 | head -20 | sed 's/^/    /'
done
echo "format: FAILED: ${#unformatted[@]} of ${#files[@]} files differ from .clang-format's style;" \
     "fix them with: $formatter -i ${unformatted[*]}"
exit 1
