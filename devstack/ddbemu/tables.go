package ddbemu

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/devstack/template"
)

// TablesAPI is the part of the DynamoDB client CreateTables uses.
type TablesAPI interface {
	CreateTable(ctx context.Context, in *dynamodb.CreateTableInput, optFns ...func(*dynamodb.Options)) (*dynamodb.CreateTableOutput, error)
	DescribeTable(ctx context.Context, in *dynamodb.DescribeTableInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
	UpdateTimeToLive(ctx context.Context, in *dynamodb.UpdateTimeToLiveInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateTimeToLiveOutput, error)
}

// TableActiveTimeout bounds the wait for one table to become active.
const TableActiveTimeout = 30 * time.Second

// CreateTables creates every table on DynamoDB Local as the template
// describes it (key schema, attribute definitions, billing mode and
// throughput, GSIs with their projections, the stream with its view type),
// waits until each is active and then enables TTL on its attribute. A table
// that already exists is an error naming it: devstack starts from an empty
// in-memory emulator, so an existing table means two runs share one.
func CreateTables(ctx context.Context, client TablesAPI, tables []*template.Table) error {
	for _, t := range tables {
		if _, err := client.CreateTable(ctx, CreateTableInput(t)); err != nil {
			var inUse *types.ResourceInUseException
			if errors.As(err, &inUse) {
				return fmt.Errorf("create table %s (%s): it already exists", t.Name, t.LogicalID)
			}
			return fmt.Errorf("create table %s (%s): %w", t.Name, t.LogicalID, err)
		}
	}
	waiter := dynamodb.NewTableExistsWaiter(client)
	for _, t := range tables {
		if err := waiter.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(t.Name)}, TableActiveTimeout); err != nil {
			return fmt.Errorf("wait for table %s (%s): %w", t.Name, t.LogicalID, err)
		}
		if t.TTLAttribute == "" {
			continue
		}
		_, err := client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
			TableName: aws.String(t.Name),
			TimeToLiveSpecification: &types.TimeToLiveSpecification{
				AttributeName: aws.String(t.TTLAttribute), Enabled: aws.Bool(true),
			},
		})
		if err != nil {
			return fmt.Errorf("enable TTL on %s (%s): %w", t.Name, t.LogicalID, err)
		}
	}
	return nil
}

// CreateTableInput is the CreateTable request for a template table. GSIs of
// a PROVISIONED table without their own throughput get the table's.
func CreateTableInput(t *template.Table) *dynamodb.CreateTableInput {
	in := &dynamodb.CreateTableInput{
		TableName:   aws.String(t.Name),
		KeySchema:   keySchema(t.KeySchema),
		BillingMode: types.BillingMode(t.BillingMode),
	}
	for _, d := range t.AttributeDefinitions {
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{
			AttributeName: aws.String(d.AttributeName), AttributeType: types.ScalarAttributeType(d.AttributeType),
		})
	}
	provisioned := t.BillingMode == string(types.BillingModeProvisioned)
	if provisioned {
		in.ProvisionedThroughput = throughput(t.ProvisionedThroughput)
	}
	for _, g := range t.GlobalSecondaryIndexes {
		gsi := types.GlobalSecondaryIndex{
			IndexName: aws.String(g.IndexName),
			KeySchema: keySchema(g.KeySchema),
			Projection: &types.Projection{
				ProjectionType:   types.ProjectionType(g.Projection.ProjectionType),
				NonKeyAttributes: g.Projection.NonKeyAttributes,
			},
		}
		if provisioned {
			gsi.ProvisionedThroughput = throughput(t.ProvisionedThroughput)
			if g.ProvisionedThroughput != nil {
				gsi.ProvisionedThroughput = throughput(g.ProvisionedThroughput)
			}
		}
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, gsi)
	}
	if t.StreamViewType != "" {
		in.StreamSpecification = &types.StreamSpecification{
			StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewType(t.StreamViewType),
		}
	}
	return in
}

func keySchema(keys []template.KeyElement) []types.KeySchemaElement {
	out := make([]types.KeySchemaElement, 0, len(keys))
	for _, k := range keys {
		out = append(out, types.KeySchemaElement{AttributeName: aws.String(k.AttributeName), KeyType: types.KeyType(k.KeyType)})
	}
	return out
}

func throughput(t *template.Throughput) *types.ProvisionedThroughput {
	if t == nil {
		return nil
	}
	return &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(t.ReadCapacityUnits), WriteCapacityUnits: aws.Int64(t.WriteCapacityUnits)}
}
