package ddbemu

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// record is one stream record as the function receives it, plus what the
// poller needs to batch, filter and report it.
type record struct {
	event   events.DynamoDBEventRecord
	created time.Time
}

func (r record) sequence() string { return r.event.Change.SequenceNumber }

// toEventRecord builds the record Lambda delivers for a stream record:
// eventSource "aws:dynamodb", the mapping's eventSourceARN and the region of
// that ARN, and the stream record's fields as DynamoDB JSON.
func toEventRecord(r types.Record, sourceARN, region string) (record, error) {
	if r.Dynamodb == nil {
		return record{}, fmt.Errorf("stream record %s has no dynamodb section", aws.ToString(r.EventID))
	}
	d := r.Dynamodb
	ev := events.DynamoDBEventRecord{
		AWSRegion:      region,
		EventID:        aws.ToString(r.EventID),
		EventName:      string(r.EventName),
		EventSource:    "aws:dynamodb",
		EventVersion:   aws.ToString(r.EventVersion),
		EventSourceArn: sourceARN,
		Change: events.DynamoDBStreamRecord{
			Keys:           toEventImage(d.Keys),
			NewImage:       toEventImage(d.NewImage),
			OldImage:       toEventImage(d.OldImage),
			SequenceNumber: aws.ToString(d.SequenceNumber),
			SizeBytes:      aws.ToInt64(d.SizeBytes),
			StreamViewType: string(d.StreamViewType),
		},
	}
	if ev.EventVersion == "" {
		ev.EventVersion = "1.1"
	}
	var created time.Time
	if d.ApproximateCreationDateTime != nil {
		// Lambda sends whole epoch seconds.
		created = d.ApproximateCreationDateTime.Truncate(time.Second)
		ev.Change.ApproximateCreationDateTime = events.SecondsEpochTime{Time: created}
	}
	if id := r.UserIdentity; id != nil {
		ev.UserIdentity = &events.DynamoDBUserIdentity{Type: aws.ToString(id.Type), PrincipalID: aws.ToString(id.PrincipalId)}
	}
	return record{event: ev, created: created}, nil
}

func toEventImage(m map[string]types.AttributeValue) map[string]events.DynamoDBAttributeValue {
	if m == nil {
		return nil
	}
	out := make(map[string]events.DynamoDBAttributeValue, len(m))
	for k, v := range m {
		out[k] = toEventValue(v)
	}
	return out
}

func toEventValue(v types.AttributeValue) events.DynamoDBAttributeValue {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return events.NewStringAttribute(v.Value)
	case *types.AttributeValueMemberN:
		return events.NewNumberAttribute(v.Value)
	case *types.AttributeValueMemberB:
		return events.NewBinaryAttribute(v.Value)
	case *types.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(v.Value)
	case *types.AttributeValueMemberNULL:
		return events.NewNullAttribute()
	case *types.AttributeValueMemberSS:
		return events.NewStringSetAttribute(v.Value)
	case *types.AttributeValueMemberNS:
		return events.NewNumberSetAttribute(v.Value)
	case *types.AttributeValueMemberBS:
		return events.NewBinarySetAttribute(v.Value)
	case *types.AttributeValueMemberL:
		list := make([]events.DynamoDBAttributeValue, 0, len(v.Value))
		for _, e := range v.Value {
			list = append(list, toEventValue(e))
		}
		return events.NewListAttribute(list)
	case *types.AttributeValueMemberM:
		return events.NewMapAttribute(toEventImage(v.Value))
	}
	// The stream API has no other member types; an unknown union member
	// from a newer API degrades to NULL rather than failing the shard.
	return events.NewNullAttribute()
}

// matches reports whether any filter accepts the record's JSON; with no
// filters every record matches.
func matches(filters []*filter, r record) (bool, error) {
	if len(filters) == 0 {
		return true, nil
	}
	data, err := json.Marshal(r.event)
	if err != nil {
		return false, fmt.Errorf("encode record %s: %w", r.event.EventID, err)
	}
	v, err := decodeJSON(data)
	if err != nil {
		return false, err
	}
	doc, _ := v.(map[string]any)
	for _, f := range filters {
		if f.match(doc) {
			return true, nil
		}
	}
	return false, nil
}

// payload is the function's input for a batch.
func payload(batch []record) ([]byte, error) {
	ev := events.DynamoDBEvent{Records: make([]events.DynamoDBEventRecord, 0, len(batch))}
	for _, r := range batch {
		ev.Records = append(ev.Records, r.event)
	}
	return json.Marshal(ev)
}

// batchResponse is the partial batch response of a function that reports
// batch item failures. Pointers tell null from absent.
type batchResponse struct {
	BatchItemFailures []struct {
		ItemIdentifier *string `json:"itemIdentifier"`
	} `json:"batchItemFailures"`
}

// checkpoint reads a partial batch response for batch: ok when the whole
// batch succeeded, otherwise from is the index of the first record to retry;
// valid is false when the response fails the whole batch.
func checkpoint(resp []byte, batch []record) (ok bool, from int, valid bool) {
	if len(resp) == 0 || string(resp) == "null" {
		return true, 0, true
	}
	var br batchResponse
	if err := json.Unmarshal(resp, &br); err != nil {
		return false, 0, false
	}
	if len(br.BatchItemFailures) == 0 {
		return true, 0, true
	}
	index := make(map[string]int, len(batch))
	for i, r := range batch {
		index[r.sequence()] = i
	}
	from = len(batch)
	for _, f := range br.BatchItemFailures {
		if f.ItemIdentifier == nil || *f.ItemIdentifier == "" {
			return false, 0, false
		}
		i, known := index[*f.ItemIdentifier]
		if !known {
			return false, 0, false
		}
		from = min(from, i)
	}
	return false, from, true
}
