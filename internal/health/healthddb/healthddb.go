// Package healthddb checks that a service's DynamoDB table answers: a
// GetItem of a probe item that never exists, whose partition key is
// ProbePartition.
//
// Why a GetItem and not DescribeTable: it goes through the data plane the
// service's requests use (DescribeTable is a control-plane call with its
// own, lower, request rate), costs half a read capacity unit, and needs an
// action every service already grants, which IAM can narrow to the probe's
// partition (the condition dynamodb:LeadingKeys = ProbePartition): the
// health function's role can then read no item of the table, where
// DescribeTable would be a new action showing the table's indexes, size and
// item count.
package healthddb

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/goshop-dev/goshop/internal/health"
)

// ProbePartition is the partition (and sort) key value of the probe item.
// No service writes it; the IAM policy of a health function allows reading
// this partition only.
const ProbePartition = "_health"

// CheckName is the name of the table check in the report.
const CheckName = "table"

// GetItemAPI is the part of the DynamoDB client the check uses.
type GetItemAPI interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
}

// Table returns the check of table, whose keys are declared by def (the
// service adapter's CreateTableInput): a GetItem of the probe key,
// projecting the partition key alone.
func Table(db GetItemAPI, table string, def *dynamodb.CreateTableInput) health.Check {
	key := ProbeKey(def)
	var partition string
	for _, k := range def.KeySchema {
		if k.KeyType == types.KeyTypeHash {
			partition = aws.ToString(k.AttributeName)
		}
	}
	return health.Check{Name: CheckName, Run: func(ctx context.Context) error {
		_, err := db.GetItem(ctx, &dynamodb.GetItemInput{
			TableName:                aws.String(table),
			Key:                      key,
			ProjectionExpression:     aws.String("#pk"),
			ExpressionAttributeNames: map[string]string{"#pk": partition},
		})
		if err != nil {
			return failure(err)
		}
		return nil
	}}
}

// ProbeKey is the key of the probe item in a table declared by def: every
// key attribute ProbePartition as a string (or binary), 0 as a number. The
// tables of goshop have string keys; IAM's condition refuses any other
// partition key value.
func ProbeKey(def *dynamodb.CreateTableInput) map[string]types.AttributeValue {
	kinds := map[string]types.ScalarAttributeType{}
	for _, a := range def.AttributeDefinitions {
		kinds[aws.ToString(a.AttributeName)] = a.AttributeType
	}
	key := map[string]types.AttributeValue{}
	for _, k := range def.KeySchema {
		name := aws.ToString(k.AttributeName)
		switch kinds[name] {
		case types.ScalarAttributeTypeN:
			key[name] = &types.AttributeValueMemberN{Value: "0"}
		case types.ScalarAttributeTypeB:
			key[name] = &types.AttributeValueMemberB{Value: []byte(ProbePartition)}
		default:
			key[name] = &types.AttributeValueMemberS{Value: ProbePartition}
		}
	}
	return key
}

// errorCode is how an AWS error code looks: it is safe to show.
var errorCode = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9.]{0,63}$`)

// failure turns a GetItem error into one the report can show. A timeout
// is left as it is: the report says how long it waited.
func failure(err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return err
	}
	var notFound *types.ResourceNotFoundException
	if errors.As(err, &notFound) {
		return health.Fail("table not found", err)
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch code := apiErr.ErrorCode(); code {
		case "AccessDeniedException", "UnrecognizedClientException":
			return health.Fail("access to the table denied", err)
		case "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded":
			return health.Fail("table reads throttled", err)
		default:
			if errorCode.MatchString(code) {
				return health.Fail(fmt.Sprintf("table read failed (%s)", code), err)
			}
			return health.Fail("table read failed", err)
		}
	}
	return health.Fail("DynamoDB unreachable", err)
}
