#!/usr/bin/env bash
# Print the LocalStack log (CI prints it when a LocalStack job fails).
set -euo pipefail
# shellcheck source=localstack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_docker
compose logs --no-color --timestamps localstack
