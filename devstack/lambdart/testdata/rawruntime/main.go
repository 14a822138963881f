// Command rawruntime is a test runtime that speaks the Runtime API with
// net/http alone, to exercise what aws-lambda-go does not: an error type
// given only in the Lambda-Runtime-Function-Error-Type header, and the
// answers to requests the API refuses.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

var base = "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/"

func post(path, errType, body string) int {
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
	if err != nil {
		return 0
	}
	if errType != "" {
		req.Header.Set("Lambda-Runtime-Function-Error-Type", errType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func main() {
	for {
		resp, err := http.Get(base + "invocation/next")
		if err != nil {
			fmt.Fprintln(os.Stderr, "next:", err)
			os.Exit(1)
		}
		id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
		var in struct{ Mode string }
		payload, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		_ = json.Unmarshal(payload, &in)

		switch in.Mode {
		case "header-error":
			post("invocation/"+id+"/error", "Custom.Failure", "plain text failure")
		case "refused":
			codes := map[string]int{
				"wrongId":       post("invocation/not-"+id+"/response", "", `"x"`),
				"lateInitError": post("init/error", "Runtime.Late", `{}`),
			}
			b, _ := json.Marshal(codes)
			codes["answer"] = post("invocation/"+id+"/response", "", string(b))
			codes["again"] = post("invocation/"+id+"/response", "", `"again"`)
			fmt.Printf("codes %v\n", codes)
		default:
			post("invocation/"+id+"/response", "", string(payload))
		}
	}
}
