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

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

.PHONY: run run-local test test-unit test-infra lint build synth diff deploy destroy deps clean

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

## test: unit tests, adapter contract tests against DynamoDB Local, CDK assertion tests
test: test-unit test-infra

test-unit: deps
	$(GO) run ./cmd/ddblocal -- $(GO) test -race -count=1 $$($(GO) list ./... | grep -v /infra)

# The CDK app's tests run without the race detector: jsii serves one call at
# a time, and instrumenting the CDK module only slows its build.
test-infra: deps
	$(GO) test -count=1 ./infra/...

## lint: go vet and staticcheck
lint:
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

## build: one linux/arm64 bootstrap per function, zipped, for Lambda provided.al2023
build:
	@mkdir -p $(BUILD_DIR)
	@for fn in $(FUNCTIONS); do \
		echo "build $$fn"; \
		mkdir -p $(BUILD_DIR)/$$fn; \
		CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w' \
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
