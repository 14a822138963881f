#!/bin/bash
# READY hook: check what Lambda needs to run goshop's functions, so that a
# missing Docker socket or network fails `make localstack-up` instead of
# every function invocation later. LocalStack marks this script ERROR when
# it exits non-zero; localstack/up.sh reads that state.
set -euo pipefail

socket=/var/run/docker.sock
if [ ! -S "$socket" ]; then
	echo "goshop: $socket is not mounted: Lambda cannot start function containers" >&2
	exit 1
fi
if ! curl -fsS --max-time 5 --unix-socket "$socket" http://localhost/_ping >/dev/null; then
	echo "goshop: the Docker engine does not answer on $socket: Lambda cannot start function containers" >&2
	exit 1
fi
network="${LAMBDA_DOCKER_NETWORK:-}"
if [ -n "$network" ] && ! curl -fsS --max-time 5 --unix-socket "$socket" -o /dev/null "http://localhost/networks/$network"; then
	echo "goshop: Docker network $network (LAMBDA_DOCKER_NETWORK) does not exist" >&2
	exit 1
fi
echo "goshop: Lambda runs function containers through $socket on network ${network:-bridge}," \
	"on a $(uname -m) engine: build the functions for $(uname -m)"
