package healthddb_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/orders/ordersddb"
	"github.com/goshop-dev/goshop/domain/users/usersddb"
	"github.com/goshop-dev/goshop/internal/ddbtest"
	"github.com/goshop-dev/goshop/internal/health"
	"github.com/goshop-dev/goshop/internal/health/healthddb"
)

// report runs the table check as the health handler does.
func report(t *testing.T, db healthddb.GetItemAPI, table string) health.Result {
	t.Helper()
	svc := health.Service{Name: "orders", Checks: []health.Check{healthddb.Table(db, table, ordersddb.CreateTableInput(table))}}
	r := svc.Report(context.Background(), health.ProbeReady)
	if len(r.Checks) != 1 || r.Checks[0].Name != "table" {
		t.Fatalf("checks %+v, want the table check alone", r.Checks)
	}
	return r.Checks[0]
}

func TestTableOnDynamoDBLocal(t *testing.T) {
	t.Parallel()
	db := ddbtest.Client(t)
	table := ddbtest.Table(t, db, ordersddb.CreateTableInput)
	if got := report(t, db, table); got.Status != health.StatusOK || got.Error != "" {
		t.Errorf("existing table: %+v", got)
	}
	if got := report(t, db, table+"-missing"); got.Status != health.StatusFail || got.Error != "table not found" {
		t.Errorf("missing table: %+v, want fail: table not found", got)
	}
}

// fakeDB answers GetItem with err and records the input.
type fakeDB struct {
	err  error
	wait bool // until the context ends
	got  *dynamodb.GetItemInput
}

func (f *fakeDB) GetItem(ctx context.Context, in *dynamodb.GetItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	f.got = in
	if f.wait {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return &dynamodb.GetItemOutput{}, f.err
}

func TestTableReadsOnlyTheProbeKey(t *testing.T) {
	t.Parallel()
	db := &fakeDB{}
	if got := report(t, db, "orders-table"); got.Status != health.StatusOK {
		t.Fatalf("%+v", got)
	}
	in := db.got
	key := map[string]string{}
	for k, v := range in.Key {
		s, ok := v.(*types.AttributeValueMemberS)
		if !ok {
			t.Fatalf("key %s = %#v, want a string", k, v)
		}
		key[k] = s.Value
	}
	if diff := cmp.Diff(map[string]string{"pk": healthddb.ProbePartition, "sk": healthddb.ProbePartition}, key); diff != "" {
		t.Errorf("key (-want +got):\n%s", diff)
	}
	if aws.ToString(in.TableName) != "orders-table" || aws.ToString(in.ProjectionExpression) != "#pk" ||
		!cmp.Equal(map[string]string{"#pk": "pk"}, in.ExpressionAttributeNames) {
		t.Errorf("GetItem of %s projecting %s %v, want orders-table, the partition key alone",
			aws.ToString(in.TableName), aws.ToString(in.ProjectionExpression), in.ExpressionAttributeNames)
	}
}

func TestProbeKey(t *testing.T) {
	t.Parallel()
	def := usersddb.CreateTableInput("users")
	def.AttributeDefinitions = append(def.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String("n"), AttributeType: types.ScalarAttributeTypeN})
	def.KeySchema[1].AttributeName = aws.String("n")
	key := healthddb.ProbeKey(def)
	if len(key) != 2 {
		t.Fatalf("key %v, want two attributes", key)
	}
	if s, ok := key["pk"].(*types.AttributeValueMemberS); !ok || s.Value != healthddb.ProbePartition {
		t.Errorf("pk = %#v, want the probe partition", key["pk"])
	}
	if n, ok := key["n"].(*types.AttributeValueMemberN); !ok || n.Value != "0" {
		t.Errorf("numeric sort key = %#v, want 0", key["n"])
	}
}

func TestTableFailures(t *testing.T) {
	t.Parallel()
	const arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders-x"
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"not found", &types.ResourceNotFoundException{Message: aws.String("Requested resource not found: " + arn)}, "table not found"},
		{"access denied", &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "User: " + arn + " is not authorized"}, "access to the table denied"},
		{"bad credentials", &smithy.GenericAPIError{Code: "UnrecognizedClientException", Message: "The security token AKIAEXAMPLE is invalid"}, "access to the table denied"},
		{"throttled", &types.ProvisionedThroughputExceededException{Message: aws.String(arn)}, "table reads throttled"},
		{"other code", &smithy.GenericAPIError{Code: "InternalServerError", Message: arn}, "table read failed (InternalServerError)"},
		{"odd code", &smithy.GenericAPIError{Code: "arn:aws:x/y", Message: arn}, "table read failed"},
		{"network", errors.New("dial tcp 10.0.0.1:443: connection refused"), "DynamoDB unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := report(t, &fakeDB{err: tt.err}, "orders-x")
			if got.Status != health.StatusFail || got.Error != tt.want {
				t.Errorf("%+v, want fail: %s", got, tt.want)
			}
		})
	}
}

func TestTableTimeout(t *testing.T) {
	t.Parallel()
	check := healthddb.Table(&fakeDB{wait: true}, "orders-x", ordersddb.CreateTableInput("orders-x"))
	check.Timeout = 20 * time.Millisecond
	r := health.Service{Name: "orders", Checks: []health.Check{check}}.Report(context.Background(), health.ProbeReady)
	if got := r.Checks[0]; got.Status != health.StatusFail || got.Error != "timed out after 20ms" {
		t.Errorf("%+v, want fail: timed out after 20ms", got)
	}
}
