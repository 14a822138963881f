// Command api-openapi serves GET /openapi.json: the OpenAPI document of the
// API. It needs no configuration: the document is compiled in.
package main

import (
	"github.com/goshop-dev/goshop/api"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/routes"
)

func main() {
	lambdahttp.Start(routes.Pattern("api-openapi"), api.Handler(), logging.ForService("api"))
}
