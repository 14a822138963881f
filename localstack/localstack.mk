# LocalStack targets of goshop; included by the Makefile. docs/LOCALSTACK.md
# explains them.
#
#   make localstack-up       start LocalStack (Docker) and wait until it is ready
#   make localstack-deploy   build the functions for the Docker engine and deploy the stack with cdklocal
#   make test-localstack     run the integration suite against that stack
#   make localstack-down     stop LocalStack and drop everything deployed to it
#   make localstack-logs     print the LocalStack log
#
# LOCALSTACK_STAGE names the stack goshop-$(LOCALSTACK_STAGE); LOCALSTACK_IMAGE
# and LOCALSTACK_AUTH_TOKEN switch to a licensed image.

LOCALSTACK_STAGE ?= local

.PHONY: localstack-up localstack-deploy test-localstack localstack-down localstack-logs

localstack-up:
	bash localstack/up.sh

localstack-deploy:
	GOSHOP_STAGE=$(LOCALSTACK_STAGE) bash localstack/deploy.sh

test-localstack:
	GOSHOP_STAGE=$(LOCALSTACK_STAGE) bash localstack/test.sh

localstack-down:
	bash localstack/down.sh

localstack-logs:
	bash localstack/logs.sh
