#!/usr/bin/env bash
# Builds the DocC documentation of RecVecCore (Sources/RecVecCore/RecVecCore.docc and the /// comments)
# into .docc-build/RecVecCore.doccarchive, with every DocC warning an error: a broken ``symbol`` link,
# an undocumented parameter in a documented list, a missing image. Needs swift-docc-plugin, which
# Package.swift adds only when RECVEC_DOCS is set (as here), and nothing from the network once the
# packages are resolved.
#
#   scripts/docs.sh                 build and check
#   scripts/docs.sh --static        also transform the archive for static hosting (plain web server)
set -euo pipefail
cd "$(dirname "$0")/.."

out=.docc-build
mkdir -p "$out"
extra=()
if [[ "${1:-}" == "--static" ]]; then
    extra+=(--transform-for-static-hosting)
fi

export RECVEC_DOCS=1
swift package --allow-writing-to-directory "$out" \
    generate-documentation --target RecVecCore \
    --warnings-as-errors \
    --output-path "$out/RecVecCore.doccarchive" \
    "${extra[@]}"
