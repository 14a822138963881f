package usersddb_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/users"
	"github.com/goshop-dev/goshop/domain/users/usersddb"
	"github.com/goshop-dev/goshop/domain/users/userstest"
)

// scriptedAPI answers TransactWriteItems with the scripted errors in order,
// then success. DynamoDB Local serializes transactions, so it never cancels
// one for TransactionConflict as DynamoDB does; this stands in for that.
type scriptedAPI struct {
	usersddb.API
	errs  []error
	calls int
}

func (s *scriptedAPI) TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	s.calls++
	if len(s.errs) == 0 {
		return &dynamodb.TransactWriteItemsOutput{}, nil
	}
	err := s.errs[0]
	s.errs = s.errs[1:]
	return nil, err
}

func canceled(codes ...string) error {
	reasons := make([]types.CancellationReason, len(codes))
	for i, c := range codes {
		reasons[i] = types.CancellationReason{Code: aws.String(c)}
	}
	return &types.TransactionCanceledException{Message: aws.String("canceled"), CancellationReasons: reasons}
}

func TestCreateCancellationReasons(t *testing.T) {
	t.Parallel()
	conflict := canceled("None", "TransactionConflict")
	tests := []struct {
		name      string
		errs      []error
		wantErr   error // nil: success, unless wantRaw
		wantRaw   bool  // the cancellation itself, not a domain error
		wantCalls int
	}{
		{"transaction conflict is retried", []error{conflict, conflict}, nil, false, 3},
		{"retried conflict then email taken", []error{conflict, canceled("None", "ConditionalCheckFailed")}, users.ErrEmailTaken, false, 2},
		{"persistent conflict", []error{conflict, conflict, conflict, conflict, conflict, conflict, conflict}, users.ErrConflict, false, 6},
		{"existing id", []error{canceled("ConditionalCheckFailed", "None")}, users.ErrConflict, false, 1},
		{"email taken wins over existing id", []error{canceled("ConditionalCheckFailed", "ConditionalCheckFailed")}, users.ErrEmailTaken, false, 1},
		{"throttled is passed on", []error{canceled("ThrottlingError", "None")}, nil, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := &scriptedAPI{errs: tt.errs}
			err := usersddb.New(api, "users").Create(context.Background(), userstest.NewUser(t))
			var tce *types.TransactionCanceledException
			switch {
			case tt.wantRaw:
				if !errors.As(err, &tce) || errors.Is(err, users.ErrConflict) || errors.Is(err, users.ErrEmailTaken) {
					t.Errorf("err = %v, want the cancellation itself", err)
				}
			case tt.wantErr == nil:
				if err != nil {
					t.Errorf("err = %v, want success", err)
				}
			case !errors.Is(err, tt.wantErr):
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if api.calls != tt.wantCalls {
				t.Errorf("TransactWriteItems called %d times, want %d", api.calls, tt.wantCalls)
			}
		})
	}
}
