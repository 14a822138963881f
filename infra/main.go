// Command infra is the goshop CDK app. `cdk synth` and `cdk deploy` run it
// through cdk.json at the repository root; `make build` must have produced
// the function bundles first.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/goshop-dev/goshop/infra/shop"
)

func main() {
	defer jsii.Close()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "infra:", err)
		os.Exit(1)
	}
}

func run() error {
	app := awscdk.NewApp(nil)
	cfg, err := shop.ConfigFromContext(app)
	if err != nil {
		return err
	}
	shop.NewStack(app, "goshop-"+cfg.Stage, cfg, &awscdk.StackProps{
		Description: jsii.String("goshop serverless e-commerce services (" + cfg.Stage + ")"),
		Env:         env(),
	})
	shop.ApplyChecks(app)
	app.Synth(nil)
	return nil
}

// env targets the account and region of the CDK CLI's credentials when
// there are any; without them the stack stays environment-agnostic.
func env() *awscdk.Environment {
	account, region := os.Getenv("CDK_DEFAULT_ACCOUNT"), os.Getenv("CDK_DEFAULT_REGION")
	if account == "" || region == "" {
		return nil
	}
	return &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)}
}
