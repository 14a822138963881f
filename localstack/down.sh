#!/usr/bin/env bash
# Stop LocalStack and remove its container, network and volumes: every
# resource deployed to it goes with them.
set -euo pipefail
# shellcheck source=localstack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_docker
say "stopping LocalStack"
# A graceful stop lets LocalStack remove the function containers it started.
status=0
compose down --volumes --remove-orphans --timeout 60 || status=$?
if docker network inspect goshop-localstack >/dev/null 2>&1; then
	say "the goshop-localstack network is still in use by:" >&2
	docker network inspect -f '{{range .Containers}}{{.Name}} {{end}}' goshop-localstack >&2
	die "remove those containers, then run 'make localstack-down' again"
fi
[ "$status" -eq 0 ] || die "docker compose down failed (exit $status)"
rm -f "$OUTPUTS_FILE"
say "stopped"
