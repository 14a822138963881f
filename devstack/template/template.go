package template

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Options say where and as what the template runs.
type Options struct {
	// StackName is the stack's name (AWS::StackName), e.g. "goshop-dev".
	// Required.
	StackName string
	// AccountID is AWS::AccountId; default "000000000000".
	AccountID string
	// Region is AWS::Region; default "us-east-1".
	Region string
	// APIEndpoint is the base URL devstack serves the REST API on, e.g.
	// "http://127.0.0.1:3000"; a stage is served under "/<stage>/". Optional:
	// without it Stage.InvokeURL is empty.
	APIEndpoint string
	// AWSEndpoint is the URL of devstack's AWS endpoint, e.g.
	// "http://127.0.0.1:4566". Required: queue URLs are
	// <scheme>://<host>/<account>/<queue name> on its host.
	AWSEndpoint string
	// Parameters override template parameter values by parameter name.
	Parameters map[string]string
}

// DefaultAccountID and DefaultRegion are the account and region used when
// Options leave them empty.
const (
	DefaultAccountID = "000000000000"
	DefaultRegion    = "us-east-1"
)

// Stack is a loaded template: typed views of the resources devstack runs,
// every value resolved to a concrete string. Slices are sorted by logical id.
// A Stack is read-only after Load.
type Stack struct {
	Name      string
	AccountID string
	Region    string
	Partition string

	Functions           []*Function
	Tables              []*Table
	Queues              []*Queue
	EventBuses          []*EventBus
	Rules               []*Rule
	EventSourceMappings []*EventSourceMapping
	StateMachines       []*StateMachine
	Secrets             []*Secret
	RestAPIs            []*RestAPI

	// Parameters are the template parameters' resolved values.
	Parameters map[string]string
	// Outputs are the template outputs, resolved the way CloudFormation
	// would, except that a URL of the template's REST API on execute-api
	// (https://<id>.execute-api.<region>.<suffix>/<stage>/...) is given on
	// Options.APIEndpoint when that is set ("http://127.0.0.1:3000/dev/..."),
	// so an API URL output reaches devstack as it reaches the API on AWS.
	Outputs map[string]string
	// Inert lists the resources accepted without local effect.
	Inert []InertResource
	// Ignored lists the properties of honoured resources accepted without
	// local effect.
	Ignored []IgnoredProperty
}

// InertResource is a resource devstack accepts and does not run.
type InertResource struct {
	LogicalID string
	Type      string
	Reason    string
}

// IgnoredProperty is a property of an honoured resource that has no local
// effect.
type IgnoredProperty struct {
	LogicalID string
	Type      string
	Property  string
	Reason    string
}

// resource is one entry of the Resources section.
type resource struct {
	LogicalID  string
	Type       string
	Properties map[string]any
	Metadata   map[string]any
	Condition  string
}

// templateDoc is the raw template.
type templateDoc struct {
	Parameters map[string]map[string]any
	Conditions map[string]any
	Rules      map[string]any
	Resources  map[string]*resource
	Outputs    map[string]map[string]any
}

var knownSections = map[string]bool{
	"AWSTemplateFormatVersion": true, "Description": true, "Metadata": true,
	"Parameters": true, "Rules": true, "Conditions": true, "Resources": true,
	"Outputs": true, "Mappings": true,
}

var knownResourceAttributes = map[string]bool{
	"Type": true, "Properties": true, "DependsOn": true, "Metadata": true,
	"Condition": true, "DeletionPolicy": true, "UpdateReplacePolicy": true,
	"UpdatePolicy": true,
}

// Load parses a CloudFormation template (JSON), checks that devstack can
// honour every resource and property in it, resolves its intrinsic
// functions and returns its typed views. All refusals are reported at once,
// joined; each is an *UnsupportedError or names the resource.
func Load(data []byte, opts Options) (*Stack, error) {
	if err := normalize(&opts); err != nil {
		return nil, err
	}
	doc, err := parse(data)
	if err != nil {
		return nil, err
	}
	r := newResolver(doc, opts)
	s := &Stack{
		Name: opts.StackName, AccountID: opts.AccountID, Region: opts.Region,
		Partition: r.partition,
	}
	if err := r.checkResources(s); err != nil {
		return nil, err
	}
	if err := r.checkRules(); err != nil {
		return nil, err
	}
	b := &builder{r: r, s: s}
	if err := b.build(); err != nil {
		return nil, err
	}
	if s.Parameters, err = r.parameterValues(); err != nil {
		return nil, err
	}
	if s.Outputs, err = r.outputs(s.RestAPIs); err != nil {
		return nil, err
	}
	return s, nil
}

func normalize(opts *Options) error {
	if opts.StackName == "" {
		return errors.New("template: Options.StackName is required")
	}
	if opts.AccountID == "" {
		opts.AccountID = DefaultAccountID
	}
	if opts.Region == "" {
		opts.Region = DefaultRegion
	}
	if opts.AWSEndpoint == "" {
		return errors.New("template: Options.AWSEndpoint is required (queue URLs are built on it)")
	}
	u, err := url.Parse(opts.AWSEndpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("template: Options.AWSEndpoint %q is not an http(s) URL", opts.AWSEndpoint)
	}
	opts.AWSEndpoint = u.Scheme + "://" + u.Host
	opts.APIEndpoint = strings.TrimRight(opts.APIEndpoint, "/")
	return nil
}

func parse(data []byte) (*templateDoc, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("template: parse: %w", err)
	}
	for name := range raw {
		if name == "Transform" {
			return nil, &UnsupportedError{Reason: "the Transform section (macros such as AWS::Serverless) is not expanded"}
		}
		if !knownSections[name] {
			return nil, &UnsupportedError{Reason: fmt.Sprintf("unknown template section %q", name)}
		}
	}
	doc := &templateDoc{Resources: map[string]*resource{}}
	var err error
	if doc.Parameters, err = objectOfObjects(raw["Parameters"], "Parameters"); err != nil {
		return nil, err
	}
	if doc.Outputs, err = objectOfObjects(raw["Outputs"], "Outputs"); err != nil {
		return nil, err
	}
	if doc.Conditions, err = object(raw["Conditions"], "Conditions"); err != nil {
		return nil, err
	}
	if doc.Rules, err = object(raw["Rules"], "Rules"); err != nil {
		return nil, err
	}
	resources, err := objectOfObjects(raw["Resources"], "Resources")
	if err != nil {
		return nil, err
	}
	if len(resources) == 0 {
		return nil, errors.New("template: no Resources")
	}
	for id, body := range resources {
		res, err := parseResource(id, body)
		if err != nil {
			return nil, err
		}
		doc.Resources[id] = res
	}
	return doc, nil
}

func parseResource(id string, body map[string]any) (*resource, error) {
	res := &resource{LogicalID: id}
	typ, ok := body["Type"].(string)
	if !ok || typ == "" {
		return nil, fmt.Errorf("template: resource %s has no Type", id)
	}
	res.Type = typ
	for _, attr := range sortedKeys(body) {
		if !knownResourceAttributes[attr] {
			return nil, &UnsupportedError{LogicalID: id, Type: typ, Reason: fmt.Sprintf("resource attribute %s", attr)}
		}
	}
	var err error
	if res.Properties, err = object(body["Properties"], id+".Properties"); err != nil {
		return nil, err
	}
	if res.Metadata, err = object(body["Metadata"], id+".Metadata"); err != nil {
		return nil, err
	}
	if c, ok := body["Condition"]; ok {
		name, ok := c.(string)
		if !ok {
			return nil, fmt.Errorf("template: resource %s: Condition must be a condition name", id)
		}
		res.Condition = name
	}
	return res, nil
}

func object(v any, where string) (map[string]any, error) {
	if v == nil {
		return map[string]any{}, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("template: %s must be an object", where)
	}
	return m, nil
}

func objectOfObjects(v any, where string) (map[string]map[string]any, error) {
	m, err := object(v, where)
	if err != nil {
		return nil, err
	}
	out := make(map[string]map[string]any, len(m))
	for k, x := range m {
		o, ok := x.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("template: %s.%s must be an object", where, k)
		}
		out[k] = o
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
