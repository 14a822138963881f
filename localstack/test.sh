#!/usr/bin/env bash
# Run the integration suite (tests/integration) against the stack that
# localstack/deploy.sh deployed. Extra arguments go to `go test`
# (e.g. -run Checkout).
#
#   GOSHOP_API_URL             overrides the API URL computed from the outputs
#   LOCALSTACK_API_URL_STYLE   host (default): http://<id>.execute-api.localhost.localstack.cloud:4566/<stage>/
#                              path: http://localhost.localstack.cloud:4566/_aws/execute-api/<id>/<stage>/
set -euo pipefail
# shellcheck source=localstack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need curl
need node
need go
[ -f "$OUTPUTS_FILE" ] || die "${OUTPUTS_FILE#"$ROOT"/} is missing: run 'make localstack-deploy' first"
require_running

api="${GOSHOP_API_URL:-$(node "$JSON" api-url "$OUTPUTS_FILE" "$STACK_NAME" "$LOCALSTACK_ENDPOINT" "${LOCALSTACK_API_URL_STYLE:-host}")}"
edition="$(curl -fsS --max-time 5 "$LOCALSTACK_ENDPOINT/_localstack/health" | node "$JSON" health)"
say "testing $STACK_NAME on LocalStack $edition, API $api"

cd "$ROOT"
clear_aws_endpoints
unset AWS_PROFILE AWS_SESSION_TOKEN
GOSHOP_TARGET=localstack \
	GOSHOP_OUTPUTS="$OUTPUTS_FILE" \
	GOSHOP_STACK="$STACK_NAME" \
	GOSHOP_API_URL="$api" \
	GOSHOP_ADMIN_EMAIL="$GOSHOP_ADMIN_EMAIL" \
	GOSHOP_ADMIN_PASSWORD="$GOSHOP_ADMIN_PASSWORD" \
	AWS_ENDPOINT_URL="$LOCALSTACK_ENDPOINT" \
	AWS_REGION="$LOCALSTACK_REGION" \
	AWS_DEFAULT_REGION="$LOCALSTACK_REGION" \
	AWS_ACCESS_KEY_ID=test \
	AWS_SECRET_ACCESS_KEY=test \
	go test -count=1 -timeout 20m -v "$@" ./tests/integration/...
