// Command initerror is a test runtime that fails its init: it posts to the
// Runtime API's /runtime/init/error and exits, as a custom runtime does.
package main

import (
	"net/http"
	"os"
	"strings"
)

func main() {
	url := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/init/error"
	req, err := http.NewRequest(http.MethodPost, url,
		strings.NewReader(`{"errorMessage":"TABLE_NAME is not set","errorType":"Runtime.ConfigError"}`))
	if err != nil {
		os.Exit(2)
	}
	req.Header.Set("Lambda-Runtime-Function-Error-Type", "Runtime.ConfigError")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusAccepted {
		os.Exit(2)
	}
	os.Exit(1)
}
