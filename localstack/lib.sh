# shellcheck shell=bash disable=SC2034 # the variables are read by the scripts that source this file
# Settings and checks shared by the LocalStack scripts of this folder.
# Sourced by them, never run on its own.

LOCALSTACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$LOCALSTACK_DIR/.." && pwd)"
COMPOSE_FILE="$LOCALSTACK_DIR/docker-compose.yml"
COMPOSE_PROJECT="goshop-localstack"

# The last LocalStack image that starts without an auth token. Any other
# image (localstack/localstack-pro, or a later localstack/localstack) needs
# LOCALSTACK_AUTH_TOKEN.
LOCALSTACK_FREE_IMAGE="localstack/localstack:4.14.0"
export LOCALSTACK_IMAGE="${LOCALSTACK_IMAGE:-$LOCALSTACK_FREE_IMAGE}"
export LOCALSTACK_AUTH_TOKEN="${LOCALSTACK_AUTH_TOKEN:-}"

# Where LocalStack answers on this machine. localhost.localstack.cloud and
# its subdomains resolve to 127.0.0.1 through public DNS; API Gateway stages
# are served on <api-id>.execute-api.localhost.localstack.cloud.
LOCALSTACK_ENDPOINT="${LOCALSTACK_ENDPOINT:-http://localhost.localstack.cloud:4566}"
LOCALSTACK_REGION="${LOCALSTACK_REGION:-us-east-1}"
# LocalStack maps any alphanumeric access key such as "test" to this account.
LOCALSTACK_ACCOUNT="000000000000"

GOSHOP_STAGE="${GOSHOP_STAGE:-local}"
GOSHOP_ADMIN_EMAIL="${GOSHOP_ADMIN_EMAIL:-admin@goshop.test}"
GOSHOP_ADMIN_PASSWORD="${GOSHOP_ADMIN_PASSWORD:-integration-admin-password}"
STACK_NAME="goshop-$GOSHOP_STAGE"
OUTPUTS_FILE="$ROOT/.build/localstack-outputs.json"
JSON="$LOCALSTACK_DIR/json.js"

say() { printf 'localstack: %s\n' "$*"; }
die() { printf 'localstack: %s\n' "$*" >&2; exit 1; }

# need fails with a clear message when a command is missing.
need() {
	command -v "$1" >/dev/null 2>&1 || die "$1 is required but not installed${2:+ ($2)}"
}

# compose runs Docker Compose on this folder's compose file: the v2 plugin
# (docker compose) or the standalone docker-compose binary.
compose() {
	"${COMPOSE_CMD[@]}" -p "$COMPOSE_PROJECT" -f "$COMPOSE_FILE" "$@"
}

# need_docker checks that the Docker CLI, a reachable engine and Compose
# are all there, and sets COMPOSE_CMD.
need_docker() {
	need docker "LocalStack runs in Docker: https://docs.docker.com/get-docker/"
	if ! docker info >/dev/null 2>&1; then
		die "the Docker engine is not reachable (docker info failed): start Docker, or check DOCKER_HOST and your access to its socket"
	fi
	if docker compose version >/dev/null 2>&1; then
		COMPOSE_CMD=(docker compose)
	elif command -v docker-compose >/dev/null 2>&1 && docker-compose version >/dev/null 2>&1; then
		COMPOSE_CMD=(docker-compose)
	else
		die "Docker Compose is required but not installed: install the compose plugin (docker compose) or docker-compose"
	fi
}

# clear_aws_endpoints unsets every AWS_ENDPOINT_URL* variable, so that an
# endpoint left in the environment (another local runtime's, say) cannot
# send one service's calls elsewhere.
clear_aws_endpoints() {
	local name
	for name in $(compgen -e); do
		case "$name" in
		AWS_ENDPOINT_URL*) unset "$name" ;;
		esac
	done
}

# require_running fails unless LocalStack answers its health endpoint.
require_running() {
	if ! curl -fsS --max-time 5 "$LOCALSTACK_ENDPOINT/_localstack/health" >/dev/null 2>&1; then
		die "LocalStack does not answer at $LOCALSTACK_ENDPOINT: run 'make localstack-up' first"
	fi
}
