package sfnemu_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/devstack/sfnemu"
)

func TestListExecutionsFilterAndPagination(t *testing.T) {
	t.Parallel()
	fn := &fakeLambda{handler: func(_ context.Context, _ string, payload []byte) answer {
		if strings.Contains(string(payload), `"fail":true`) {
			return answer{errorType: "Boom", errorMessage: "boom"}
		}
		return answer{out: `{}`}
	}}
	m := machine(t, "listed", obj{"StartAt": "T", "States": obj{"T": lambdaTask("f", obj{"End": true})}})
	other := machine(t, "other", obj{"StartAt": "P", "States": obj{"P": obj{"Type": "Pass", "End": true}}})
	c := newClient(t, newService(t, sfnemu.Options{Lambda: fn}, m, other))
	var succeeded, failed []string
	for i := range 7 {
		input := `{"fail":false}`
		if i%3 == 0 {
			input = `{"fail":true}`
		}
		arn := aws.ToString(start(t, c, "listed", fmt.Sprintf("e%d", i), input).ExecutionArn)
		if waitDone(t, c, arn).Status == types.ExecutionStatusFailed {
			failed = append([]string{arn}, failed...) // newest first
		} else {
			succeeded = append([]string{arn}, succeeded...)
		}
	}
	start(t, c, "other", "unrelated", `{}`)

	tests := []struct {
		status types.ExecutionStatus
		want   []string
	}{
		{types.ExecutionStatusSucceeded, succeeded},
		{types.ExecutionStatusFailed, failed},
		{"", append([]string{}, mergeNewestFirst(succeeded, failed)...)},
	}
	for _, tt := range tests {
		t.Run(string(tt.status)+"any", func(t *testing.T) {
			t.Parallel()
			var got []string
			pages := 0
			p := sfn.NewListExecutionsPaginator(c, &sfn.ListExecutionsInput{
				StateMachineArn: aws.String(machinePrefix + "listed"), StatusFilter: tt.status, MaxResults: 2})
			for p.HasMorePages() {
				page, err := p.NextPage(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				pages++
				if len(page.Executions) > 2 {
					t.Errorf("page of %d, want at most 2", len(page.Executions))
				}
				for _, e := range page.Executions {
					if tt.status != "" && e.Status != tt.status {
						t.Errorf("%s has status %s", aws.ToString(e.ExecutionArn), e.Status)
					}
					got = append(got, aws.ToString(e.ExecutionArn))
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("executions (-want +got):\n%s", diff)
			}
			if wantPages := (len(tt.want) + 1) / 2; pages != wantPages {
				t.Errorf("pages = %d, want %d", pages, wantPages)
			}
		})
	}
}

// mergeNewestFirst merges two newest-first lists of execution ARNs named
// e<i> by their number.
func mergeNewestFirst(a, b []string) []string {
	num := func(arn string) int {
		var n int
		_, _ = fmt.Sscanf(arn[strings.LastIndexByte(arn, ':')+2:], "%d", &n)
		return n
	}
	var out []string
	for len(a) > 0 || len(b) > 0 {
		if len(b) == 0 || (len(a) > 0 && num(a[0]) > num(b[0])) {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return out
}

func TestGetExecutionHistoryPagination(t *testing.T) {
	t.Parallel()
	m := machine(t, "passes", obj{"StartAt": "A", "States": obj{
		"A": obj{"Type": "Pass", "Next": "B"}, "B": obj{"Type": "Pass", "Next": "C"}, "C": obj{"Type": "Pass", "End": true}}})
	c := newClient(t, newService(t, sfnemu.Options{}, m))
	arn := aws.ToString(start(t, c, "passes", "h", `{"k":1}`).ExecutionArn)
	waitDone(t, c, arn)
	all := history(t, c, arn)
	if len(all) != 8 {
		t.Fatalf("events = %v", eventTypes(all))
	}
	for _, reverse := range []bool{false, true} {
		var ids []int64
		p := sfn.NewGetExecutionHistoryPaginator(c, &sfn.GetExecutionHistoryInput{
			ExecutionArn: aws.String(arn), MaxResults: 3, ReverseOrder: reverse, IncludeExecutionData: aws.Bool(false)})
		for p.HasMorePages() {
			page, err := p.NextPage(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, ev := range page.Events {
				ids = append(ids, ev.Id)
				if d := ev.ExecutionStartedEventDetails; d != nil && d.Input != nil {
					t.Errorf("input included with includeExecutionData false")
				}
			}
		}
		want := []int64{1, 2, 3, 4, 5, 6, 7, 8}
		if reverse {
			want = []int64{8, 7, 6, 5, 4, 3, 2, 1}
		}
		if diff := cmp.Diff(want, ids); diff != "" {
			t.Errorf("reverse %t ids (-want +got):\n%s", reverse, diff)
		}
	}
	if in := all[0].ExecutionStartedEventDetails; in == nil || aws.ToString(in.Input) != `{"k":1}` {
		t.Errorf("ExecutionStarted input = %+v", in)
	}
	if out := all[7].ExecutionSucceededEventDetails; out == nil || aws.ToString(out.Output) != `{"k":1}` {
		t.Errorf("ExecutionSucceeded output = %+v", out)
	}
}

func TestStateMachines(t *testing.T) {
	t.Parallel()
	var machines []string
	s := newService(t, sfnemu.Options{})
	for _, name := range []string{"c", "a", "b"} {
		if err := s.Register(machine(t, name, obj{"StartAt": "P", "States": obj{"P": obj{"Type": "Pass", "End": true}}})); err != nil {
			t.Fatal(err)
		}
	}
	c := newClient(t, s)
	p := sfn.NewListStateMachinesPaginator(c, &sfn.ListStateMachinesInput{MaxResults: 2})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page.StateMachines {
			machines = append(machines, aws.ToString(m.Name))
			if m.Type != types.StateMachineTypeStandard || m.CreationDate == nil {
				t.Errorf("list item %+v", m)
			}
		}
	}
	if diff := cmp.Diff([]string{"a", "b", "c"}, machines); diff != "" {
		t.Errorf("machines (-want +got):\n%s", diff)
	}
	d, err := c.DescribeStateMachine(context.Background(), &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(machinePrefix + "b")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.Name) != "b" || d.Status != types.StateMachineStatusActive || !strings.Contains(aws.ToString(d.Definition), `"StartAt":"P"`) {
		t.Errorf("DescribeStateMachine = %s %s %s", aws.ToString(d.Name), d.Status, aws.ToString(d.Definition))
	}
}

func TestAPIErrors(t *testing.T) {
	t.Parallel()
	m := machine(t, "m", obj{"StartAt": "P", "States": obj{"P": obj{"Type": "Pass", "End": true}}})
	c := newClient(t, newService(t, sfnemu.Options{}, m))
	ctx := context.Background()
	ok := aws.String(machinePrefix + "m")
	missingExec := aws.String("arn:aws:states:us-east-1:000000000000:execution:m:nope")
	tests := []struct {
		name string
		call func() error
		want any
	}{
		{"describe unknown execution", func() error {
			_, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: missingExec})
			return err
		}, &types.ExecutionDoesNotExist{}},
		{"history of unknown execution", func() error {
			_, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: missingExec})
			return err
		}, &types.ExecutionDoesNotExist{}},
		{"describe with a machine ARN", func() error {
			_, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: ok})
			return err
		}, &types.InvalidArn{}},
		{"describe with garbage", func() error {
			_, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String("not-an-arn")})
			return err
		}, &types.InvalidArn{}},
		{"start unknown machine", func() error {
			_, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machinePrefix + "nope")})
			return err
		}, &types.StateMachineDoesNotExist{}},
		{"start with a bad name", func() error {
			_, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: ok, Name: aws.String("a b")})
			return err
		}, &types.InvalidName{}},
		{"start with a name too long", func() error {
			_, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: ok, Name: aws.String(strings.Repeat("n", 81))})
			return err
		}, &types.InvalidName{}},
		{"start with bad input", func() error {
			_, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: ok, Input: aws.String("{nope")})
			return err
		}, &types.InvalidExecutionInput{}},
		{"list with a foreign token", func() error {
			_, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: ok, NextToken: aws.String("dGFtcGVyZWQ")})
			return err
		}, &types.InvalidToken{}},
		{"list unknown machine", func() error {
			_, err := c.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(machinePrefix + "nope")})
			return err
		}, &types.StateMachineDoesNotExist{}},
		{"describe unknown machine", func() error {
			_, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(machinePrefix + "nope")})
			return err
		}, &types.StateMachineDoesNotExist{}},
		{"unsupported action", func() error {
			_, err := c.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("x")})
			if apiCode(err) != "UnknownOperationException" {
				return fmt.Errorf("code %q: %w", apiCode(err), err)
			}
			return nil
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.call()
			if tt.want == nil {
				if err != nil {
					t.Error(err)
				}
				return
			}
			if err == nil {
				t.Fatalf("err = nil, want %T", tt.want)
			}
			if !errors.As(err, &tt.want) {
				t.Errorf("err = %v, want %T", err, tt.want)
			}
		})
	}
}
