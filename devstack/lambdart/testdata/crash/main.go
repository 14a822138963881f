// Command crash is a test function whose process exits in the middle of
// an invocation.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
)

func handle(context.Context) (string, error) {
	fmt.Println("about to exit")
	os.Exit(3)
	return "", nil
}

func main() {
	lambda.Start(handle)
}
