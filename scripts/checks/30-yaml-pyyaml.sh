#!/usr/bin/env bash
# The YAML writer's round trip under a YAML 1.1 reader: every generated string `mlc build`
# may write reads back equal under PyYAML (the YAML 1.2 side, serde_yaml, runs in every
# `cargo test`). Needs python3 with PyYAML (`.ci/run` installs it in .venv).
set -euo pipefail
cd "$(dirname "$0")/../.."
MLC_PYTHON="$(command -v python3)" MLC_REQUIRE_PYYAML=1 \
    cargo test -q -p mlc --lib -- k8s::yaml::tests::generated_strings_read_back_under_yaml_1_1
