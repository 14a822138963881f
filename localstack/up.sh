#!/usr/bin/env bash
# Start LocalStack for goshop and wait until it serves requests and its
# init hooks (init/ready.d) have all succeeded.
#
#   LOCALSTACK_IMAGE        image to run (default: the pinned free image, see lib.sh)
#   LOCALSTACK_AUTH_TOKEN   required by any other image
#   LOCALSTACK_WAIT_SECONDS how long to wait for readiness (default 180)
set -euo pipefail
# shellcheck source=localstack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need curl
need node "the scripts read LocalStack's JSON with it"
need_docker

if [ "$LOCALSTACK_IMAGE" != "$LOCALSTACK_FREE_IMAGE" ] && [ -z "$LOCALSTACK_AUTH_TOKEN" ]; then
	die "LOCALSTACK_IMAGE=$LOCALSTACK_IMAGE needs LOCALSTACK_AUTH_TOKEN: LocalStack images after $LOCALSTACK_FREE_IMAGE start only with an auth token (docs/LOCALSTACK.md)"
fi

# The CDK uploads assets to <bucket>.s3.<host> and API Gateway stages are
# served on <api-id>.execute-api.<host>: the host and its subdomains must
# resolve (localhost.localstack.cloud does, to 127.0.0.1, through public DNS).
host="$(node -e 'process.stdout.write(new URL(process.argv[1]).hostname)' "$LOCALSTACK_ENDPOINT")"
for name in "$host" "s3.$host"; do
	if ! node -e 'require("dns").lookup(process.argv[1], (err) => process.exit(err ? 1 : 0))' "$name"; then
		die "$name does not resolve: $host and its subdomains must resolve to this machine (check its DNS; docs/LOCALSTACK.md)"
	fi
done

say "starting $LOCALSTACK_IMAGE"
compose up -d

wait_seconds="${LOCALSTACK_WAIT_SECONDS:-180}"
deadline=$(( $(date +%s) + wait_seconds ))
container="$(compose ps -q localstack)"
[ -n "$container" ] || die "the localstack container was not created; see: docker compose -p $COMPOSE_PROJECT -f $COMPOSE_FILE logs"

# fail_start prints the end of the LocalStack log and exits.
fail_start() {
	compose logs --no-color --tail 80 localstack >&2 || true
	die "$1"
}

say "waiting for $LOCALSTACK_ENDPOINT/_localstack/health"
until health="$(curl -fsS --max-time 5 "$LOCALSTACK_ENDPOINT/_localstack/health" 2>/dev/null)"; do
	if [ "$(docker inspect -f '{{.State.Running}}' "$container" 2>/dev/null)" != "true" ]; then
		fail_start "the LocalStack container stopped while starting (a licensed image without a valid LOCALSTACK_AUTH_TOKEN stops like this)"
	fi
	if [ "$(date +%s)" -ge "$deadline" ]; then
		fail_start "LocalStack did not answer its health endpoint within ${wait_seconds}s"
	fi
	sleep 2
done

say "waiting for the init hooks of the READY stage"
while true; do
	status=0
	ready="$(curl -fsS --max-time 5 "$LOCALSTACK_ENDPOINT/_localstack/init/ready")" || status=3
	if [ "$status" -eq 0 ]; then
		node "$JSON" init-ready <<<"$ready" || status=$?
	fi
	case "$status" in
	0) break ;;
	3) ;;
	*) fail_start "an init hook failed: its output is in the log above" ;;
	esac
	if [ "$(date +%s)" -ge "$deadline" ]; then
		fail_start "the init hooks did not finish within ${wait_seconds}s"
	fi
	sleep 2
done

say "ready: LocalStack $(node "$JSON" health <<<"$health") at $LOCALSTACK_ENDPOINT"
