package ddbemu_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/devstack/ddbemu"
	"github.com/goshop-dev/goshop/devstack/template"
)

func loadGoshop(t *testing.T, stack string) *template.Stack {
	t.Helper()
	data, err := os.ReadFile("../template/testdata/goshop-dev.template.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := template.Load(data, template.Options{StackName: stack, AWSEndpoint: "http://127.0.0.1:4566"})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

func TestCreateTablesFromTemplate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// A unique stack name keeps repeated runs (-count) on one emulator apart.
	s := loadGoshop(t, fmt.Sprintf("tables-test-%d", tableSeq.Add(1)))
	if len(s.Tables) == 0 {
		t.Fatal("template has no tables")
	}
	client := ddbemu.NewClient(endpoint, s.Region)
	if err := ddbemu.CreateTables(ctx, client, s.Tables); err != nil {
		t.Fatalf("CreateTables: %v", err)
	}
	for _, tbl := range s.Tables {
		out, err := client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(tbl.Name)})
		if err != nil {
			t.Fatalf("DescribeTable %s: %v", tbl.Name, err)
		}
		d := out.Table
		if d.TableStatus != types.TableStatusActive {
			t.Errorf("%s: status %s", tbl.Name, d.TableStatus)
		}
		if diff := cmp.Diff(keys(tbl.KeySchema), described(d.KeySchema)); diff != "" {
			t.Errorf("%s key schema (-want +got):\n%s", tbl.Name, diff)
		}
		var wantGSI, gotGSI []string
		for _, g := range tbl.GlobalSecondaryIndexes {
			wantGSI = append(wantGSI, g.IndexName+" "+strings.Join(keys(g.KeySchema), ",")+" "+g.Projection.ProjectionType)
		}
		for _, g := range d.GlobalSecondaryIndexes {
			gotGSI = append(gotGSI, aws.ToString(g.IndexName)+" "+strings.Join(described(g.KeySchema), ",")+" "+string(g.Projection.ProjectionType))
		}
		slices.Sort(gotGSI)
		if diff := cmp.Diff(wantGSI, gotGSI); diff != "" {
			t.Errorf("%s GSIs (-want +got):\n%s", tbl.Name, diff)
		}
		gotView := ""
		if d.StreamSpecification != nil && aws.ToBool(d.StreamSpecification.StreamEnabled) {
			gotView = string(d.StreamSpecification.StreamViewType)
			if aws.ToString(d.LatestStreamArn) == "" {
				t.Errorf("%s: stream enabled without LatestStreamArn", tbl.Name)
			}
		}
		if gotView != tbl.StreamViewType {
			t.Errorf("%s stream view type = %q, want %q", tbl.Name, gotView, tbl.StreamViewType)
		}
		ttl, err := client.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(tbl.Name)})
		if err != nil {
			t.Fatalf("DescribeTimeToLive %s: %v", tbl.Name, err)
		}
		gotTTL := ""
		if ttl.TimeToLiveDescription.TimeToLiveStatus == types.TimeToLiveStatusEnabled {
			gotTTL = aws.ToString(ttl.TimeToLiveDescription.AttributeName)
		}
		if gotTTL != tbl.TTLAttribute {
			t.Errorf("%s TTL attribute = %q, want %q", tbl.Name, gotTTL, tbl.TTLAttribute)
		}
	}
	// The template has GSIs, streams and TTL: make sure the loop saw them.
	var gsis, streams, ttls int
	for _, tbl := range s.Tables {
		gsis += len(tbl.GlobalSecondaryIndexes)
		if tbl.StreamViewType != "" {
			streams++
		}
		if tbl.TTLAttribute != "" {
			ttls++
		}
	}
	if gsis == 0 || streams == 0 || ttls == 0 {
		t.Errorf("template coverage: %d GSIs, %d streams, %d TTLs", gsis, streams, ttls)
	}
	if err := ddbemu.CreateTables(ctx, client, s.Tables[:1]); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("CreateTables again = %v, want an already-exists error", err)
	}
}

func keys(ks []template.KeyElement) []string {
	var out []string
	for _, k := range ks {
		out = append(out, k.AttributeName+":"+k.KeyType)
	}
	return out
}

func described(ks []types.KeySchemaElement) []string {
	var out []string
	for _, k := range ks {
		out = append(out, aws.ToString(k.AttributeName)+":"+string(k.KeyType))
	}
	return out
}
