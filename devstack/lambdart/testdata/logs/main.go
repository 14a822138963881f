// Command logs is a test function that writes to stdout and stderr during
// init and during each invocation.
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/aws/aws-lambda-go/lambda"
)

func handle(context.Context) (string, error) {
	fmt.Println("hello from stdout")
	log.Print("hello from stderr")
	return "logged", nil
}

func main() {
	fmt.Println("init output")
	lambda.Start(handle)
}
