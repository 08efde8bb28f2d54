#!/usr/bin/env bash
# Build durable-rules 2.0.28 from the registry's sdist with dtbd's patches (patches/*.patch, in order)
# and put the wheel in OUTDIR. Called by the Makefile once per Python version (OUTDIR = .wheels/cpXY).
# usage: third_party/durable-rules/build-wheel.sh PYTHON OUTDIR
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: $0 PYTHON OUTDIR" >&2
    exit 2
fi
python=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
version=2.0.28
# sha256 of durable_rules-2.0.28.tar.gz as published on PyPI: a different file is refused.
sha256=053b26f5e48d312d4fa27995243f954671be6eece477f150c059c364eb4d7d61

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$python" -m pip download --quiet --no-deps --no-binary :all: "durable-rules==$version" -d "$work"
sdist="$work/durable_rules-$version.tar.gz"
if ! echo "$sha256  $sdist" | sha256sum --check --quiet -; then
    echo "$0: $sdist does not have the expected sha256 $sha256; refusing to build it" >&2
    exit 1
fi
mkdir "$work/src"
tar -xzf "$sdist" -C "$work/src" --strip-components=1
for patch in "$here"/patches/*.patch; do
    echo "durable-rules: applying $(basename "$patch")"
    if command -v patch >/dev/null 2>&1; then
        patch --directory="$work/src" --strip=1 --forward --batch --quiet < "$patch"
    else
        (cd "$work/src" && git apply --whitespace=nowarn "$patch")
    fi
done

mkdir -p "$out"
rm -f "$out"/durable_rules-*.whl
"$python" -m pip wheel --quiet --no-deps --wheel-dir "$out" "$work/src"
ls "$out"/durable_rules-*.whl
