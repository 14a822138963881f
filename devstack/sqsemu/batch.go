package sqsemu

import (
	"errors"
	"net/http"
	"regexp"
)

var batchEntryID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

// checkBatch applies SQS's request-level batch rules.
func checkBatch(ids []string) error {
	if len(ids) == 0 {
		return errEmptyBatch()
	}
	if len(ids) > 10 {
		return errTooManyEntries(len(ids))
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if !batchEntryID.MatchString(id) {
			return errInvalidBatchEntryID(id)
		}
		if seen[id] {
			return errBatchIDsNotDistinct(id)
		}
		seen[id] = true
	}
	return nil
}

type batchFailure struct {
	Id          string `json:"Id"`
	SenderFault bool   `json:"SenderFault"`
	Code        string `json:"Code"`
	Message     string `json:"Message,omitempty"`
}

func failureOf(id string, err error) batchFailure {
	var e *Error
	if errors.As(err, &e) {
		return batchFailure{Id: id, SenderFault: e.Status < 500, Code: e.QueryCode, Message: e.Message}
	}
	return batchFailure{Id: id, Code: "InternalError", Message: "We encountered an internal error."}
}

type sendBatchResponseEntry struct {
	Id string `json:"Id"`
	sendResponse
}

func (b *Broker) sendMessageBatch(_ *http.Request, body []byte) (any, error) {
	var in struct {
		QueueUrl string `json:"QueueUrl"`
		Entries  []struct {
			Id string `json:"Id"`
			sendRequest
		} `json:"Entries"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	q, err := b.queueFor(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(in.Entries))
	for i, e := range in.Entries {
		ids[i] = e.Id
	}
	if err := checkBatch(ids); err != nil {
		return nil, err
	}
	out := struct {
		Successful []sendBatchResponseEntry `json:"Successful"`
		Failed     []batchFailure           `json:"Failed"`
	}{Successful: []sendBatchResponseEntry{}, Failed: []batchFailure{}}
	for _, e := range in.Entries {
		res, err := q.Send(SendInput{Body: e.MessageBody, Attributes: fromWire(e.MessageAttributes), Delay: secondsPtr(e.DelaySeconds)})
		if err != nil {
			out.Failed = append(out.Failed, failureOf(e.Id, err))
			continue
		}
		out.Successful = append(out.Successful, sendBatchResponseEntry{e.Id, sendResponse{res.MessageID, res.MD5OfMessageBody, res.MD5OfMessageAttributes}})
	}
	return out, nil
}

func (b *Broker) deleteMessageBatch(_ *http.Request, body []byte) (any, error) {
	var in struct {
		QueueUrl string `json:"QueueUrl"`
		Entries  []struct {
			Id            string `json:"Id"`
			ReceiptHandle string `json:"ReceiptHandle"`
		} `json:"Entries"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	q, err := b.queueFor(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(in.Entries))
	for i, e := range in.Entries {
		ids[i] = e.Id
	}
	if err := checkBatch(ids); err != nil {
		return nil, err
	}
	type ok struct {
		Id string `json:"Id"`
	}
	out := struct {
		Successful []ok           `json:"Successful"`
		Failed     []batchFailure `json:"Failed"`
	}{Successful: []ok{}, Failed: []batchFailure{}}
	for _, e := range in.Entries {
		if err := q.Delete(e.ReceiptHandle); err != nil {
			out.Failed = append(out.Failed, failureOf(e.Id, err))
			continue
		}
		out.Successful = append(out.Successful, ok{e.Id})
	}
	return out, nil
}
