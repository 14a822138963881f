package template

import (
	"fmt"
	"slices"
)

// streamLabel is the label of every table stream ARN devstack names. DynamoDB
// Local makes up its own label: pollers find the stream by table, not by ARN.
const streamLabel = "1970-01-01T00:00:00.000"

// Table is an AWS::DynamoDB::Table.
type Table struct {
	LogicalID string
	Name      string
	ARN       string
	// StreamARN is the table's stream ARN; empty without a stream.
	StreamARN string

	KeySchema            []KeyElement
	AttributeDefinitions []AttributeDefinition
	// BillingMode is PAY_PER_REQUEST or PROVISIONED.
	BillingMode            string
	ProvisionedThroughput  *Throughput
	GlobalSecondaryIndexes []GlobalSecondaryIndex
	// StreamViewType is NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES or
	// KEYS_ONLY; empty without a stream.
	StreamViewType string
	// TTLAttribute is the time-to-live attribute; empty when TTL is off.
	TTLAttribute string
}

// KeyElement is one element of a key schema.
type KeyElement struct {
	AttributeName string
	// KeyType is HASH or RANGE.
	KeyType string
}

// AttributeDefinition declares a key attribute's type.
type AttributeDefinition struct {
	AttributeName string
	// AttributeType is S, N or B.
	AttributeType string
}

// Throughput is a provisioned capacity.
type Throughput struct {
	ReadCapacityUnits  int64
	WriteCapacityUnits int64
}

// GlobalSecondaryIndex is a GSI of a table.
type GlobalSecondaryIndex struct {
	IndexName             string
	KeySchema             []KeyElement
	Projection            Projection
	ProvisionedThroughput *Throughput
}

// Projection says which attributes an index holds.
type Projection struct {
	// ProjectionType is ALL, KEYS_ONLY or INCLUDE.
	ProjectionType   string
	NonKeyAttributes []string
}

type throughputProps struct {
	ReadCapacityUnits  flexInt
	WriteCapacityUnits flexInt
}

func (t *throughputProps) view() *Throughput {
	if t == nil {
		return nil
	}
	return &Throughput{ReadCapacityUnits: t.ReadCapacityUnits.value, WriteCapacityUnits: t.WriteCapacityUnits.value}
}

func (b *builder) table(res *resource, props map[string]any) error {
	var p struct {
		TableName              string
		AttributeDefinitions   []AttributeDefinition
		KeySchema              []KeyElement
		BillingMode            string
		ProvisionedThroughput  *throughputProps
		GlobalSecondaryIndexes []struct {
			IndexName             string
			KeySchema             []KeyElement
			Projection            Projection
			ProvisionedThroughput *throughputProps
		}
		StreamSpecification *struct {
			StreamViewType string
		}
		TimeToLiveSpecification *struct {
			AttributeName string
			Enabled       flexBool
		}
	}
	if err := decodeProps(props, &p); err != nil {
		return err
	}
	id, err := b.identityOf(res)
	if err != nil {
		return err
	}
	t := &Table{
		LogicalID: res.LogicalID, Name: id.ref, ARN: id.attrs["Arn"], StreamARN: id.attrs["StreamArn"],
		KeySchema: p.KeySchema, AttributeDefinitions: p.AttributeDefinitions, BillingMode: p.BillingMode,
		ProvisionedThroughput: p.ProvisionedThroughput.view(),
	}
	if t.BillingMode == "" {
		t.BillingMode = "PROVISIONED"
	}
	switch t.BillingMode {
	case "PAY_PER_REQUEST":
	case "PROVISIONED":
		if t.ProvisionedThroughput == nil {
			return fmt.Errorf("property ProvisionedThroughput is required with BillingMode PROVISIONED")
		}
	default:
		return fmt.Errorf("property BillingMode %q is not PAY_PER_REQUEST or PROVISIONED", t.BillingMode)
	}
	if err := checkKeySchema("KeySchema", t.KeySchema, t.AttributeDefinitions); err != nil {
		return err
	}
	for _, g := range p.GlobalSecondaryIndexes {
		if err := checkKeySchema("GlobalSecondaryIndexes["+g.IndexName+"].KeySchema", g.KeySchema, t.AttributeDefinitions); err != nil {
			return err
		}
		if !slices.Contains([]string{"ALL", "KEYS_ONLY", "INCLUDE"}, g.Projection.ProjectionType) {
			return fmt.Errorf("property GlobalSecondaryIndexes[%s].Projection.ProjectionType %q is not ALL, KEYS_ONLY or INCLUDE", g.IndexName, g.Projection.ProjectionType)
		}
		t.GlobalSecondaryIndexes = append(t.GlobalSecondaryIndexes, GlobalSecondaryIndex{
			IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: g.Projection,
			ProvisionedThroughput: g.ProvisionedThroughput.view(),
		})
	}
	if s := p.StreamSpecification; s != nil {
		if !slices.Contains([]string{"NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"}, s.StreamViewType) {
			return fmt.Errorf("property StreamSpecification.StreamViewType %q is not a stream view type", s.StreamViewType)
		}
		t.StreamViewType = s.StreamViewType
	}
	if ttl := p.TimeToLiveSpecification; ttl != nil && ttl.Enabled.value {
		if ttl.AttributeName == "" {
			return fmt.Errorf("property TimeToLiveSpecification.AttributeName is required when TTL is enabled")
		}
		t.TTLAttribute = ttl.AttributeName
	}
	b.s.Tables = append(b.s.Tables, t)
	return nil
}

func checkKeySchema(where string, keys []KeyElement, defs []AttributeDefinition) error {
	if len(keys) == 0 || len(keys) > 2 || keys[0].KeyType != "HASH" || (len(keys) == 2 && keys[1].KeyType != "RANGE") {
		return fmt.Errorf("property %s must be a HASH key and an optional RANGE key", where)
	}
	for _, k := range keys {
		if !slices.ContainsFunc(defs, func(d AttributeDefinition) bool { return d.AttributeName == k.AttributeName }) {
			return fmt.Errorf("property %s: attribute %s is not in AttributeDefinitions", where, k.AttributeName)
		}
	}
	return nil
}
