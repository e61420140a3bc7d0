#!/usr/bin/env bash
# Checks the format and the lint rules of .swift-format without changing a file;
# any finding is an error (--strict). scripts/format.sh fixes all but a few kinds of finding.
set -euo pipefail
cd "$(dirname "$0")/.."

swift format lint --strict --recursive --parallel Sources Tests Fuzz Benchmarks/HelloHummingbird Package.swift
