package shop

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// TableOptions adds what the adapter's CreateTableInput does not say.
type TableOptions struct {
	TTLAttribute string // attribute holding the expiry of items that expire
	Stream       bool   // publish item changes on a stream (NEW_AND_OLD_IMAGES)
}

// newTable creates a service's table from the key schema and indexes its
// DynamoDB adapter declares (the same CreateTableInput the adapter's tests
// and the local server use), so the deployed table cannot drift from the
// code that reads it. Every table is on demand, encrypted, and has
// point-in-time recovery.
func newTable(scope constructs.Construct, id string, cfg Config, in *dynamodb.CreateTableInput, opts TableOptions) awsdynamodb.Table {
	attrTypes := map[string]awsdynamodb.AttributeType{}
	for _, a := range in.AttributeDefinitions {
		attrTypes[*a.AttributeName] = attributeType(a.AttributeType)
	}
	key := func(schema []types.KeySchemaElement, kind types.KeyType) *awsdynamodb.Attribute {
		for _, k := range schema {
			if k.KeyType == kind {
				t, ok := attrTypes[*k.AttributeName]
				if !ok {
					panic(fmt.Sprintf("table %s: key %s has no attribute definition", id, *k.AttributeName))
				}
				return &awsdynamodb.Attribute{Name: k.AttributeName, Type: t}
			}
		}
		return nil
	}
	props := &awsdynamodb.TableProps{
		PartitionKey: key(in.KeySchema, types.KeyTypeHash),
		SortKey:      key(in.KeySchema, types.KeyTypeRange),
		BillingMode:  awsdynamodb.BillingMode_PAY_PER_REQUEST,
		Encryption:   awsdynamodb.TableEncryption_AWS_MANAGED,
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
			PointInTimeRecoveryEnabled: jsii.Bool(true),
		},
		RemovalPolicy:      cfg.RemovalPolicy,
		DeletionProtection: jsii.Bool(cfg.RemovalPolicy == awscdk.RemovalPolicy_RETAIN),
	}
	if opts.TTLAttribute != "" {
		props.TimeToLiveAttribute = jsii.String(opts.TTLAttribute)
	}
	if opts.Stream {
		props.Stream = awsdynamodb.StreamViewType_NEW_AND_OLD_IMAGES
	}
	table := awsdynamodb.NewTable(scope, jsii.String(id), props)
	for _, gsi := range in.GlobalSecondaryIndexes {
		p := &awsdynamodb.GlobalSecondaryIndexProps{
			IndexName:      gsi.IndexName,
			PartitionKey:   key(gsi.KeySchema, types.KeyTypeHash),
			SortKey:        key(gsi.KeySchema, types.KeyTypeRange),
			ProjectionType: awsdynamodb.ProjectionType_ALL,
		}
		if gsi.Projection != nil {
			switch gsi.Projection.ProjectionType {
			case types.ProjectionTypeKeysOnly:
				p.ProjectionType = awsdynamodb.ProjectionType_KEYS_ONLY
			case types.ProjectionTypeInclude:
				p.ProjectionType = awsdynamodb.ProjectionType_INCLUDE
				p.NonKeyAttributes = jsii.Strings(gsi.Projection.NonKeyAttributes...)
			}
		}
		table.AddGlobalSecondaryIndex(p)
	}
	if len(in.LocalSecondaryIndexes) > 0 {
		panic(fmt.Sprintf("table %s: local secondary indexes are not supported by the CDK app yet", id))
	}
	return table
}

func attributeType(t types.ScalarAttributeType) awsdynamodb.AttributeType {
	switch t {
	case types.ScalarAttributeTypeN:
		return awsdynamodb.AttributeType_NUMBER
	case types.ScalarAttributeTypeB:
		return awsdynamodb.AttributeType_BINARY
	default:
		return awsdynamodb.AttributeType_STRING
	}
}
