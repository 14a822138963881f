package apigw

import (
	"bytes"
	"fmt"
	"mime"

	"github.com/goshop-dev/goshop/devstack/template"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schema is a compiled model.
type schema struct {
	compiled *jsonschema.Schema
}

// modelURL is where API Gateway says a model lives, which is how one
// model's schema $refs another.
func modelURL(apiID, name string) string {
	return "https://apigateway.amazonaws.com/restapis/" + apiID + "/models/" + name
}

// compileModels compiles every model's schema as JSON Schema draft 4, the
// draft API Gateway implements; a schema that does not compile is refused.
func compileModels(api *template.RestAPI) (map[*template.Model]*schema, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	for _, m := range api.Models {
		if len(m.Schema) == 0 {
			continue
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(m.Schema))
		if err != nil {
			return nil, fmt.Errorf("model %s: schema: %w", m.Name, err)
		}
		if err := c.AddResource(modelURL(api.ID, m.Name), doc); err != nil {
			return nil, fmt.Errorf("model %s: schema: %w", m.Name, err)
		}
	}
	out := map[*template.Model]*schema{}
	for _, m := range api.Models {
		if len(m.Schema) == 0 {
			continue
		}
		sch, err := c.Compile(modelURL(api.ID, m.Name))
		if err != nil {
			return nil, fmt.Errorf("model %s: schema does not compile as JSON Schema draft 4: %w", m.Name, err)
		}
		out[m] = &schema{compiled: sch}
	}
	return out, nil
}

// validBody validates the body against the method's model for the
// request's content type when the method's validator validates bodies. As
// API Gateway: no Content-Type means application/json; a content type
// without a model (and no $default model) is not validated.
func (g *Gateway) validBody(rc *requestCtx) bool {
	m := rc.method
	if m.RequestValidator == nil || !m.RequestValidator.ValidateBody || len(m.RequestModels) == 0 {
		return true
	}
	contentType := "application/json"
	if ct := rc.req.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil {
			return false
		}
		contentType = mt
	}
	model, ok := m.RequestModels[contentType]
	if !ok {
		if model, ok = m.RequestModels["$default"]; !ok {
			return true
		}
	}
	sch := g.schemas[model]
	if sch == nil {
		return true // a model without a schema accepts anything
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(rc.body))
	if err != nil {
		return false
	}
	return sch.compiled.Validate(inst) == nil
}
