#!/usr/bin/env bash
# Deploy the goshop CDK app to the running LocalStack with cdklocal: build
# the functions for the instruction set of the Docker engine that runs them,
# bootstrap the environment, deploy the stack goshop-$GOSHOP_STAGE and write
# its outputs to .build/localstack-outputs.json.
#
#   GOSHOP_STAGE         stage and stack name suffix (default local)
#   GOSHOP_ADMIN_EMAIL   the admin account (default admin@goshop.test)
#   GOSHOP_LAMBDA_ARCH   x86_64 or arm64 (default: the Docker engine's)
set -euo pipefail
# shellcheck source=localstack/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need curl
need node
need npm
need go
need make
need_docker
require_running

# Lambda runs each function in a container on the Docker engine, natively
# only for the engine's instruction set. The functions are static Go
# binaries, so they are built for that set and the stack declares it.
arch="${GOSHOP_LAMBDA_ARCH:-$(docker info --format '{{.Architecture}}')}"
case "$arch" in
x86_64 | amd64) lambda_arch=x86_64 goarch=amd64 ;;
aarch64 | arm64) lambda_arch=arm64 goarch=arm64 ;;
*) die "cannot run Lambda functions on a $arch Docker engine: set GOSHOP_LAMBDA_ARCH to x86_64 or arm64" ;;
esac

cd "$ROOT"
say "installing the Node tooling and Go modules"
make deps
say "building the functions for linux/$goarch"
make build LAMBDA_GOARCH="$goarch"

# cdklocal (aws-cdk-local 3.x) removes every AWS_* variable from the CDK's
# environment except AWS_ENDPOINT_URL* and those in AWS_ENVAR_ALLOWLIST, and
# needs AWS_ENDPOINT_URL_S3 whenever AWS_ENDPOINT_URL is set.
clear_aws_endpoints
export AWS_ENDPOINT_URL="$LOCALSTACK_ENDPOINT"
AWS_ENDPOINT_URL_S3="$(node -e 'const u = new URL(process.argv[1]); u.hostname = "s3." + u.hostname; process.stdout.write(u.origin)' "$LOCALSTACK_ENDPOINT")"
export AWS_ENDPOINT_URL_S3
export AWS_REGION="$LOCALSTACK_REGION" AWS_DEFAULT_REGION="$LOCALSTACK_REGION"
export AWS_ENVAR_ALLOWLIST="AWS_REGION,AWS_DEFAULT_REGION"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
cdklocal=(npx --no-install cdklocal)
# WAF and the EventBridge schema registry are not in LocalStack's free image.
context=(
	-c stage="$GOSHOP_STAGE"
	-c waf=false
	-c schemaRegistry=false
	-c adminEmails="$GOSHOP_ADMIN_EMAIL"
	-c architecture="$lambda_arch"
)

# Inside a CDK project, bootstrap synthesizes the app too: give it the same
# context as the deploy.
say "bootstrapping aws://$LOCALSTACK_ACCOUNT/$LOCALSTACK_REGION"
"${cdklocal[@]}" bootstrap "aws://$LOCALSTACK_ACCOUNT/$LOCALSTACK_REGION" "${context[@]}"

say "deploying $STACK_NAME (architecture $lambda_arch)"
mkdir -p "$(dirname "$OUTPUTS_FILE")"
"${cdklocal[@]}" deploy "$STACK_NAME" "${context[@]}" \
	--require-approval never \
	--outputs-file "$OUTPUTS_FILE"

api="$(node "$JSON" api-url "$OUTPUTS_FILE" "$STACK_NAME" "$LOCALSTACK_ENDPOINT" "${LOCALSTACK_API_URL_STYLE:-host}")"
say "deployed $STACK_NAME: outputs in ${OUTPUTS_FILE#"$ROOT"/}, API at $api"
