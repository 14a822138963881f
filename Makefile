# goshop: serverless e-commerce domain services in Go.
# `make run` serves the API locally; `make test` runs every test.

SHELL := /bin/bash
GO ?= go
PORT ?= 3000
STATICCHECK_VERSION := v0.8.2
BUILD_DIR := .build/lambda
FUNCTIONS := $(notdir $(wildcard functions/*))

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

.PHONY: run test lint build deps clean

## deps: install Go modules and the Node tooling (CDK CLI, cdklocal, DynamoDB Local)
deps: node_modules/.package-lock.json
	$(GO) mod download

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

## run: serve the whole API on http://127.0.0.1:$(PORT) against DynamoDB Local
run: deps
	$(GO) run ./cmd/local -port $(PORT)

## test: unit tests and adapter contract tests against DynamoDB Local
test: deps
	$(GO) run ./cmd/ddblocal -- $(GO) test -race -count=1 ./...

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

clean:
	rm -rf .build cdk.out
