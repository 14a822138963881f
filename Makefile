# goshop: serverless e-commerce domain services in Go.
# `make run` serves the API locally; `make test` runs every test.

SHELL := /bin/bash
GO ?= go
PORT ?= 3000
AWS_PORT ?= 4566
ADMIN_EMAIL ?= admin@goshop.local
BIN := .build/bin
STATICCHECK_VERSION := v0.8.2
BUILD_DIR := .build/lambda
FUNCTIONS := $(notdir $(wildcard functions/*))
# GOARCH of the function binaries: arm64 (Graviton, the default) or amd64
# (LocalStack on an x86 host runs functions natively; pair it with
# `-c architecture=x86_64`, as localstack/localstack.mk does).
LAMBDA_GOARCH ?= arm64

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

.PHONY: run run-local test test-unit test-infra test-integration test-aws lint build synth diff deploy destroy deps clean

## deps: install Go modules and the Node tooling (CDK CLI, cdklocal, DynamoDB Local)
deps: node_modules/.package-lock.json
	$(GO) mod download

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

## run: the whole app locally with devstack (the synthesized template; no Docker, no AWS): API on
## http://127.0.0.1:$(PORT)/dev, AWS endpoint on :$(AWS_PORT); the admin ADMIN_EMAIL/ADMIN_PASSWORD
## and a sample catalog are created; Ctrl-C stops everything
run: build deps
	$(CDK) synth --quiet -c stage=dev -c adminEmails=$(ADMIN_EMAIL)
	$(GO) build -o $(BIN)/devstack ./devstack/cmd/devstack
	$(GO) build -o $(BIN)/seed ./cmd/seed
	$(BIN)/seed -api http://127.0.0.1:$(PORT)/dev -admin-email $(ADMIN_EMAIL) & \
	exec $(BIN)/devstack -api 127.0.0.1:$(PORT) -aws 127.0.0.1:$(AWS_PORT) -template cdk.out/goshop-dev.template.json

## run-local: the one-process server (every route but the orders ones, which need the saga);
## starts in seconds
run-local: deps
	$(GO) run ./cmd/local -port $(PORT)

## test: unit tests, adapter contract tests against DynamoDB Local, CDK assertion tests, and the
## integration suite on devstack
test: test-unit test-infra test-integration

test-unit: deps
	$(GO) run ./cmd/ddblocal -- $(GO) test -race -count=1 $$($(GO) list ./... | grep -v -e /infra -e /tests/integration)

# The CDK app's tests run without the race detector: jsii serves one call at
# a time, and instrumenting the CDK module only slows its build.
test-infra: deps
	$(GO) test -count=1 ./infra/...

# The integration suite (tests/integration) drives a running stack over its
# API and the AWS APIs. Its admin must be in the stack's adminEmails.
IT_DIR := .build/integration
IT_ADMIN_EMAIL ?= admin@goshop.test
IT_ADMIN_PASSWORD ?= integration-admin-password
IT_FLAGS ?= -count=1 -timeout 20m -v
export GOSHOP_ADMIN_EMAIL ?= $(IT_ADMIN_EMAIL)
export GOSHOP_ADMIN_PASSWORD ?= $(IT_ADMIN_PASSWORD)

## test-integration: the integration suite on devstack: synthesizes the app with the suite's admin,
## starts devstack on free ports, runs the suite, stops devstack; the stack's log is in
## .build/integration/devstack.log (its end is printed when the suite fails)
test-integration: deps
	@test -d $(BUILD_DIR) || $(MAKE) build
	$(CDK) synth --quiet -c stage=dev -c adminEmails=$(IT_ADMIN_EMAIL) -o $(IT_DIR)/cdk.out
	$(GO) build -o $(BIN)/devstack ./devstack/cmd/devstack
	GOSHOP_LOG_FILE=$(CURDIR)/$(IT_DIR)/devstack.log $(BIN)/devstack -api 127.0.0.1:0 -aws 127.0.0.1:0 \
		-template $(IT_DIR)/cdk.out/goshop-dev.template.json -outputs-file $(IT_DIR)/outputs.json \
		-log-file $(IT_DIR)/devstack.log -- $(GO) test $(IT_FLAGS) ./tests/integration/

## test-aws: the integration suite on the deployed stack goshop-$(STAGE) (outputs from `make deploy`
## in cdk-outputs.json; deploy with ADMIN_EMAILS including GOSHOP_ADMIN_EMAIL)
test-aws:
	GOSHOP_TARGET=aws GOSHOP_OUTPUTS=cdk-outputs.json GOSHOP_STACK=goshop-$(STAGE) $(GO) test $(IT_FLAGS) -v ./tests/integration/

-include localstack/localstack.mk

## lint: go vet and staticcheck
lint:
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

## build: one linux/$(LAMBDA_GOARCH) bootstrap per function for Lambda provided.al2023
build:
	@mkdir -p $(BUILD_DIR)
	@for fn in $(FUNCTIONS); do \
		echo "build $$fn"; \
		mkdir -p $(BUILD_DIR)/$$fn; \
		CGO_ENABLED=0 GOOS=linux GOARCH=$(LAMBDA_GOARCH) $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w' \
			-o $(BUILD_DIR)/$$fn/bootstrap ./functions/$$fn || exit 1; \
	done

CDK := npx --no-install cdk
STAGE ?= dev
CDK_CONTEXT := -c stage=$(STAGE) $(if $(ADMIN_EMAILS),-c adminEmails=$(ADMIN_EMAILS))

## synth: synthesize the CloudFormation template into cdk.out (needs `make build`)
synth: deps
	@test -d $(BUILD_DIR) || { echo "run 'make build' first: $(BUILD_DIR) is missing"; exit 1; }
	$(CDK) synth --quiet $(CDK_CONTEXT)

## diff: compare the app with the deployed stack (STAGE, AWS credentials from the environment)
diff: build deps
	$(CDK) diff $(CDK_CONTEXT)

## deploy: build and deploy the stack goshop-$(STAGE); ADMIN_EMAILS=a@x,b@y grants admins
deploy: build deps
	$(CDK) deploy $(CDK_CONTEXT) --require-approval broadening --outputs-file cdk-outputs.json

## destroy: delete the stack goshop-$(STAGE)
destroy: deps
	$(CDK) destroy $(CDK_CONTEXT)

clean:
	rm -rf .build cdk.out
