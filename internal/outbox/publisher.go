package outbox

import (
	"context"
	"encoding/json"
	"log/slog"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/goshop-dev/goshop/internal/logging"
)

// maxEntries is the most entries one PutEvents call takes.
const maxEntries = 10

// EventPutter is the part of the EventBridge client the publisher uses.
type EventPutter interface {
	PutEvents(ctx context.Context, in *eventbridge.PutEventsInput, opts ...func(*eventbridge.Options)) (*eventbridge.PutEventsOutput, error)
}

// Handler returns the DynamoDB Streams consumer that publishes every new
// outbox item of a batch to bus. Records that are not outbox inserts are
// skipped. When some entries are refused it reports the first refused
// record as a batch item failure, so Lambda retries from there and nothing
// after it is lost; events are deduplicated by id downstream, so a
// republished event is harmless.
func Handler(putter EventPutter, bus string, logger *slog.Logger) func(context.Context, lambdaevents.DynamoDBEvent) (lambdaevents.DynamoDBEventResponse, error) {
	return func(ctx context.Context, batch lambdaevents.DynamoDBEvent) (lambdaevents.DynamoDBEventResponse, error) {
		type pending struct {
			seq   string
			entry ebtypes.PutEventsRequestEntry
			ids   envelopeIDs
		}
		var queue []pending
		for _, rec := range batch.Records {
			entry, ok := entryOf(rec, bus)
			if ok {
				queue = append(queue, pending{seq: rec.Change.SequenceNumber, entry: entry, ids: idsOf(aws.ToString(entry.Detail))})
			}
		}
		for start := 0; start < len(queue); start += maxEntries {
			chunk := queue[start:min(start+maxEntries, len(queue))]
			entries := make([]ebtypes.PutEventsRequestEntry, len(chunk))
			for i, p := range chunk {
				entries[i] = p.entry
			}
			out, err := putter.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: entries})
			failed := -1
			switch {
			case err != nil:
				logger.ErrorContext(ctx, "outbox publish failed", slog.String("error", err.Error()), slog.Int("entries", len(entries)))
				failed = 0
			case out.FailedEntryCount > 0:
				for i, res := range out.Entries {
					if res.ErrorCode != nil {
						logger.ErrorContext(ctx, "outbox entry refused", slog.String("code", aws.ToString(res.ErrorCode)), slog.String("message", aws.ToString(res.ErrorMessage)))
						failed = i
						break
					}
				}
			}
			if failed >= 0 {
				return lambdaevents.DynamoDBEventResponse{BatchItemFailures: []lambdaevents.DynamoDBBatchItemFailure{{ItemIdentifier: chunk[failed].seq}}}, nil
			}
			// One line per event, under the correlation id of the request that
			// caused it, so a checkout can be followed through the publisher.
			for _, p := range chunk {
				logger.InfoContext(logging.WithIDs(ctx, logging.IDs{CorrelationID: p.ids.CorrelationID}), "event published",
					slog.String("eventId", p.ids.ID), slog.String("type", p.ids.Type))
			}
		}
		return lambdaevents.DynamoDBEventResponse{}, nil
	}
}

// envelopeIDs are the fields of an event's envelope its log line names.
type envelopeIDs struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	CorrelationID string `json:"correlationId"`
}

// idsOf reads the ids of the envelope in detail; what is unreadable is left
// empty (the event is still published: the consumers judge it).
func idsOf(detail string) envelopeIDs {
	var ids envelopeIDs
	_ = json.Unmarshal([]byte(detail), &ids)
	return ids
}

// entryOf turns an outbox insert into its EventBridge entry.
func entryOf(rec lambdaevents.DynamoDBEventRecord, bus string) (ebtypes.PutEventsRequestEntry, bool) {
	if rec.EventName != string(lambdaevents.DynamoDBOperationTypeInsert) {
		return ebtypes.PutEventsRequestEntry{}, false
	}
	img := rec.Change.NewImage
	if img["type"].DataType() != lambdaevents.DataTypeString || img["type"].String() != ItemType {
		return ebtypes.PutEventsRequestEntry{}, false
	}
	str := func(k string) string {
		if v, ok := img[k]; ok && v.DataType() == lambdaevents.DataTypeString {
			return v.String()
		}
		return ""
	}
	return ebtypes.PutEventsRequestEntry{
		EventBusName: aws.String(bus),
		Source:       aws.String(str("source")),
		DetailType:   aws.String(str("detailType")),
		Detail:       aws.String(str("detail")),
	}, true
}
