#!/usr/bin/env bash
# Formats every Swift file of the package in place with the rules in .swift-format
# (4-space indent, 120 columns: swift-nio's style). Run before committing;
# scripts/lint.sh checks that nothing is left to change.
set -euo pipefail
cd "$(dirname "$0")/.."

swift format format --in-place --recursive --parallel Sources Tests Fuzz Benchmarks/HelloHummingbird Package.swift
