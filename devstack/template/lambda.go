package template

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Metadata keys the CDK app puts on each function.
const (
	MetadataPackage  = "goshop:package"
	MetadataFunction = "goshop:function"
)

// Function is an AWS::Lambda::Function, built from a Go package.
type Function struct {
	LogicalID string
	// Name is the function name (FunctionName or "<stack>-<LogicalId>").
	Name string
	ARN  string
	// Package is the Go package to build, relative to the repository root,
	// e.g. "./functions/users-get" (metadata goshop:package).
	Package string
	// AppName is the app's name for the function, e.g. "users-get"
	// (metadata goshop:function); empty if the template does not say.
	AppName string
	// Environment is the function's environment, every value resolved.
	Environment map[string]string
	Timeout     time.Duration
	MemoryMB    int
	Handler     string
	Runtime     string
	// ReservedConcurrency is ReservedConcurrentExecutions: nil when the
	// template sets none (the function draws from the account's unreserved
	// concurrency), 0 when the function is throttled (every invocation is
	// refused).
	ReservedConcurrency *int
}

var goRuntimes = []string{"provided.al2023", "provided.al2"}

func (b *builder) function(res *resource, props map[string]any) error {
	var p struct {
		FunctionName string
		Handler      string
		Runtime      string
		Timeout      flexInt
		MemorySize   flexInt
		Environment  struct {
			Variables map[string]flexString
		}
		ReservedConcurrentExecutions flexInt
	}
	if err := decodeProps(props, &p); err != nil {
		return err
	}
	if !slices.Contains(goRuntimes, p.Runtime) {
		return &UnsupportedError{Property: "Runtime", Reason: fmt.Sprintf("runtime %q: only Go on the OS-only runtimes %v", p.Runtime, goRuntimes)}
	}
	pkg, _ := res.Metadata[MetadataPackage].(string)
	if pkg == "" {
		return &UnsupportedError{Property: "Metadata." + MetadataPackage, Reason: "a function without the Go package it is built from"}
	}
	appName, _ := res.Metadata[MetadataFunction].(string)
	timeout := p.Timeout.or(3)
	if timeout < 1 || timeout > 900 {
		return fmt.Errorf("property Timeout %d is outside 1..900 seconds", timeout)
	}
	memory := p.MemorySize.or(128)
	if memory < 128 || memory > 10240 {
		return fmt.Errorf("property MemorySize %d is outside 128..10240 MB", memory)
	}
	// 0 is allowed: Lambda then throttles every invocation.
	reserved := p.ReservedConcurrentExecutions.ptr()
	if reserved != nil && *reserved < 0 {
		return fmt.Errorf("property ReservedConcurrentExecutions %d is negative", *reserved)
	}
	id, err := b.identityOf(res)
	if err != nil {
		return err
	}
	env := make(map[string]string, len(p.Environment.Variables))
	for k, v := range p.Environment.Variables {
		env[k] = string(v)
	}
	b.s.Functions = append(b.s.Functions, &Function{
		LogicalID: res.LogicalID, Name: id.ref, ARN: id.attrs["Arn"], Package: pkg, AppName: appName,
		Environment: env, Timeout: time.Duration(timeout) * time.Second, MemoryMB: int(memory),
		Handler: p.Handler, Runtime: p.Runtime, ReservedConcurrency: reserved,
	})
	return nil
}

// SourceKind is the kind of event source a mapping polls.
type SourceKind string

// Event source kinds.
const (
	SourceSQS            SourceKind = "sqs"
	SourceDynamoDBStream SourceKind = "dynamodb"
)

// EventSourceMapping is an AWS::Lambda::EventSourceMapping: an SQS queue or
// a DynamoDB stream polled for a function.
type EventSourceMapping struct {
	LogicalID string
	// UUID is the mapping's id (Ref).
	UUID string

	FunctionLogicalID string
	FunctionName      string
	FunctionARN       string

	SourceKind SourceKind
	SourceARN  string
	// SourceLogicalID is the queue's or the table's logical id.
	SourceLogicalID string

	Enabled   bool
	BatchSize int
	// FunctionResponseTypes is e.g. ["ReportBatchItemFailures"].
	FunctionResponseTypes []string
	// Filters are the FilterCriteria patterns, each an EventBridge-style
	// pattern as JSON.
	Filters []json.RawMessage

	// StartingPosition is TRIM_HORIZON or LATEST (streams only).
	StartingPosition string
	// BisectBatchOnFunctionError splits a failing batch (streams only).
	BisectBatchOnFunctionError bool
	// MaximumRetryAttempts is -1 for unlimited, the default (streams only).
	MaximumRetryAttempts int
	// MaximumConcurrency caps concurrent invocations (SQS only); 0 means no
	// cap beyond the function's.
	MaximumConcurrency int
	// OnFailureARN is the destination of records that exhaust their retries
	// (streams only): an SQS queue of the template.
	OnFailureARN       string
	OnFailureLogicalID string
}

// ReportsBatchItemFailures says whether the function reports partial batch
// failures.
func (m *EventSourceMapping) ReportsBatchItemFailures() bool {
	return slices.Contains(m.FunctionResponseTypes, "ReportBatchItemFailures")
}

type mappingProps struct {
	FunctionName          string
	EventSourceArn        string
	BatchSize             flexInt
	FunctionResponseTypes []string
	FilterCriteria        struct {
		Filters []struct {
			Pattern jsonDoc
		}
	}
	StartingPosition           string
	BisectBatchOnFunctionError flexBool
	MaximumRetryAttempts       flexInt
	ScalingConfig              struct {
		MaximumConcurrency flexInt
	}
	DestinationConfig struct {
		OnFailure struct {
			Destination string
		}
	}
	Enabled flexBool
}

func (b *builder) eventSourceMapping(res *resource, props map[string]any) error {
	var p mappingProps
	if err := decodeProps(props, &p); err != nil {
		return err
	}
	for _, t := range p.FunctionResponseTypes {
		if t != "ReportBatchItemFailures" {
			return &UnsupportedError{Property: "FunctionResponseTypes", Reason: "function response type " + t}
		}
	}
	id, err := b.identityOf(res)
	if err != nil {
		return err
	}
	m := &EventSourceMapping{
		LogicalID: res.LogicalID, UUID: id.ref, FunctionName: p.FunctionName, SourceARN: p.EventSourceArn,
		Enabled: p.Enabled.or(true), BatchSize: int(p.BatchSize.value), FunctionResponseTypes: p.FunctionResponseTypes,
		StartingPosition: p.StartingPosition, BisectBatchOnFunctionError: p.BisectBatchOnFunctionError.value,
		MaximumRetryAttempts: int(p.MaximumRetryAttempts.or(-1)),
		MaximumConcurrency:   int(p.ScalingConfig.MaximumConcurrency.value),
		OnFailureARN:         p.DestinationConfig.OnFailure.Destination,
	}
	for _, f := range p.FilterCriteria.Filters {
		m.Filters = append(m.Filters, json.RawMessage(f.Pattern))
	}
	b.mappingProps = append(b.mappingProps, p)
	b.s.EventSourceMappings = append(b.s.EventSourceMappings, m)
	return nil
}

// linkMappings ties each mapping to its function and source and checks the
// options that depend on the source's kind.
func (b *builder) linkMappings() error {
	var errs []error
	for i, m := range b.s.EventSourceMappings {
		if err := b.linkMapping(m, b.mappingProps[i]); err != nil {
			res := b.r.doc.Resources[m.LogicalID]
			errs = append(errs, resourceError(res, err))
		}
	}
	return errors.Join(errs...)
}

func (b *builder) linkMapping(m *EventSourceMapping, p mappingProps) error {
	fn, ok := b.s.LookupFunction(m.FunctionName)
	if !ok {
		return &UnsupportedError{Property: "FunctionName", Reason: fmt.Sprintf("function %q is not a function of the template", m.FunctionName)}
	}
	m.FunctionLogicalID, m.FunctionName, m.FunctionARN = fn.LogicalID, fn.Name, fn.ARN
	if q, ok := b.s.LookupQueue(m.SourceARN); ok && q.ARN == m.SourceARN {
		m.SourceKind, m.SourceLogicalID = SourceSQS, q.LogicalID
		return checkSQSMapping(m, p)
	}
	for _, t := range b.s.Tables {
		if t.StreamARN != "" && t.StreamARN == m.SourceARN {
			m.SourceKind, m.SourceLogicalID = SourceDynamoDBStream, t.LogicalID
			return b.checkStreamMapping(m, p)
		}
	}
	return &UnsupportedError{Property: "EventSourceArn", Reason: fmt.Sprintf("source %q is neither a queue nor a table stream of the template", m.SourceARN)}
}

func checkSQSMapping(m *EventSourceMapping, p mappingProps) error {
	streamOnly := []struct {
		name string
		set  bool
	}{
		{"StartingPosition", p.StartingPosition != ""},
		{"BisectBatchOnFunctionError", p.BisectBatchOnFunctionError.set},
		{"MaximumRetryAttempts", p.MaximumRetryAttempts.set},
		{"DestinationConfig", m.OnFailureARN != ""},
	}
	for _, o := range streamOnly {
		if o.set {
			return &UnsupportedError{Property: o.name, Reason: "a stream-only option on an SQS mapping (AWS rejects it too)"}
		}
	}
	if m.BatchSize == 0 {
		m.BatchSize = 10
	}
	if m.BatchSize < 1 || m.BatchSize > 10 {
		return &UnsupportedError{Property: "BatchSize", Reason: fmt.Sprintf("batch size %d: SQS batches above 10 need a batching window", m.BatchSize)}
	}
	m.MaximumRetryAttempts = 0
	if c := m.MaximumConcurrency; c != 0 && (c < 2 || c > 1000) {
		return fmt.Errorf("property ScalingConfig.MaximumConcurrency %d is outside 2..1000", c)
	}
	return nil
}

func (b *builder) checkStreamMapping(m *EventSourceMapping, p mappingProps) error {
	if p.ScalingConfig.MaximumConcurrency.set {
		return &UnsupportedError{Property: "ScalingConfig", Reason: "an SQS-only option on a stream mapping (AWS rejects it too)"}
	}
	switch m.StartingPosition {
	case "TRIM_HORIZON", "LATEST":
	case "":
		return fmt.Errorf("property StartingPosition is required for a stream")
	default:
		return &UnsupportedError{Property: "StartingPosition", Reason: "starting position " + m.StartingPosition}
	}
	if m.BatchSize == 0 {
		m.BatchSize = 100
	}
	if m.BatchSize < 1 || m.BatchSize > 10000 {
		return fmt.Errorf("property BatchSize %d is outside 1..10000", m.BatchSize)
	}
	if r := m.MaximumRetryAttempts; r < -1 || r > 10000 {
		return fmt.Errorf("property MaximumRetryAttempts %d is outside -1..10000", r)
	}
	if m.OnFailureARN != "" {
		q, ok := b.s.LookupQueue(m.OnFailureARN)
		if !ok || q.ARN != m.OnFailureARN {
			return &UnsupportedError{Property: "DestinationConfig.OnFailure.Destination",
				Reason: fmt.Sprintf("destination %q: only SQS queues of the template", m.OnFailureARN)}
		}
		m.OnFailureLogicalID = q.LogicalID
	}
	return nil
}
