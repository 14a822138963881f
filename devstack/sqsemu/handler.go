package sqsemu

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
)

const jsonContentType = "application/x-amz-json-1.0"

// ServeHTTP serves the SQS AWS JSON 1.0 protocol: POST with
// X-Amz-Target: AmazonSQS.<Action> and a JSON body. Errors are
// {"__type": "com.amazonaws.sqs#<Code>", "message": ...} with the HTTP status
// SQS uses and the x-amzn-query-error header the SDK reads for ErrorCode().
func (b *Broker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	action, ok := strings.CutPrefix(target, "AmazonSQS.")
	if r.Method != http.MethodPost || !ok {
		writeError(w, &Error{"InvalidAction", "InvalidAction", http.StatusBadRequest,
			"The action or operation requested is invalid: expected POST with X-Amz-Target AmazonSQS.<Action>."})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 2<<20))
	if err != nil {
		writeError(w, errInvalidParameter("request body: %v", err))
		return
	}
	op, ok := b.operations()[action]
	if !ok {
		writeError(w, errUnsupported(action))
		return
	}
	out, err := op(r, body)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			e = &Error{"InternalError", "InternalError", http.StatusInternalServerError, "We encountered an internal error."}
		}
		writeError(w, e)
		return
	}
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("x-amzn-RequestId", b.newID())
	_ = json.NewEncoder(w).Encode(out)
}

type operation func(r *http.Request, body []byte) (any, error)

func (b *Broker) operations() map[string]operation {
	return map[string]operation{
		"SendMessage":             b.sendMessage,
		"SendMessageBatch":        b.sendMessageBatch,
		"ReceiveMessage":          b.receiveMessage,
		"DeleteMessage":           b.deleteMessage,
		"DeleteMessageBatch":      b.deleteMessageBatch,
		"ChangeMessageVisibility": b.changeMessageVisibility,
		"GetQueueUrl":             b.getQueueURL,
		"GetQueueAttributes":      b.getQueueAttributes,
		"PurgeQueue":              b.purgeQueue,
		"ListQueues":              b.listQueues,
		"CreateQueue":             b.createQueue,
		"DeleteQueue":             b.deleteQueue,
		"SetQueueAttributes":      b.setQueueAttributes,
	}
}

func writeError(w http.ResponseWriter, e *Error) {
	w.Header().Set("Content-Type", jsonContentType)
	fault := "Sender"
	if e.Status >= 500 {
		fault = "Receiver"
	}
	w.Header().Set("x-amzn-query-error", e.QueryCode+";"+fault)
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": "com.amazonaws.sqs#" + e.Code, "message": e.Message})
}

func decode(body []byte, v any) error {
	if len(body) == 0 {
		body = []byte("{}")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return errInvalidParameter("The request body is not valid JSON for this action: %v", err)
	}
	return nil
}

func (b *Broker) queueFor(url string) (*Queue, error) {
	if url == "" {
		return nil, errMissingParameter("QueueUrl")
	}
	q, ok := b.QueueByURL(url)
	if !ok {
		return nil, errQueueDoesNotExist()
	}
	return q, nil
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

type wireAttribute struct {
	DataType    string `json:"DataType"`
	StringValue string `json:"StringValue,omitempty"`
	BinaryValue []byte `json:"BinaryValue,omitempty"`
}

func fromWire(attrs map[string]wireAttribute) map[string]MessageAttribute {
	if len(attrs) == 0 {
		return nil
	}
	out := make(map[string]MessageAttribute, len(attrs))
	for n, a := range attrs {
		out[n] = MessageAttribute(a)
	}
	return out
}

func secondsPtr(n *int32) *time.Duration {
	if n == nil {
		return nil
	}
	d := time.Duration(*n) * time.Second
	return &d
}

type sendRequest struct {
	QueueUrl          string                   `json:"QueueUrl"`
	MessageBody       string                   `json:"MessageBody"`
	DelaySeconds      *int32                   `json:"DelaySeconds"`
	MessageAttributes map[string]wireAttribute `json:"MessageAttributes"`
}

type sendResponse struct {
	MessageId              string `json:"MessageId"`
	MD5OfMessageBody       string `json:"MD5OfMessageBody"`
	MD5OfMessageAttributes string `json:"MD5OfMessageAttributes,omitempty"`
}

func (b *Broker) sendMessage(_ *http.Request, body []byte) (any, error) {
	var in sendRequest
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	q, err := b.queueFor(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	out, err := q.Send(SendInput{Body: in.MessageBody, Attributes: fromWire(in.MessageAttributes), Delay: secondsPtr(in.DelaySeconds)})
	if err != nil {
		return nil, err
	}
	return sendResponse{out.MessageID, out.MD5OfMessageBody, out.MD5OfMessageAttributes}, nil
}

type wireMessage struct {
	MessageId              string                   `json:"MessageId"`
	ReceiptHandle          string                   `json:"ReceiptHandle"`
	MD5OfBody              string                   `json:"MD5OfBody"`
	Body                   string                   `json:"Body"`
	Attributes             map[string]string        `json:"Attributes,omitempty"`
	MD5OfMessageAttributes string                   `json:"MD5OfMessageAttributes,omitempty"`
	MessageAttributes      map[string]wireAttribute `json:"MessageAttributes,omitempty"`
}

func (b *Broker) receiveMessage(r *http.Request, body []byte) (any, error) {
	var in struct {
		QueueUrl                    string   `json:"QueueUrl"`
		AttributeNames              []string `json:"AttributeNames"`
		MessageSystemAttributeNames []string `json:"MessageSystemAttributeNames"`
		MessageAttributeNames       []string `json:"MessageAttributeNames"`
		MaxNumberOfMessages         *int32   `json:"MaxNumberOfMessages"`
		VisibilityTimeout           *int32   `json:"VisibilityTimeout"`
		WaitTimeSeconds             *int32   `json:"WaitTimeSeconds"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	q, err := b.queueFor(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	ri := ReceiveInput{VisibilityTimeout: secondsPtr(in.VisibilityTimeout), WaitTime: secondsPtr(in.WaitTimeSeconds)}
	if in.MaxNumberOfMessages != nil {
		if *in.MaxNumberOfMessages == 0 { // an explicit 0 is out of range, unlike an absent value
			return nil, errInvalidParameter("Value 0 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.")
		}
		ri.MaxNumberOfMessages = int(*in.MaxNumberOfMessages)
	}
	msgs, err := q.Receive(r.Context(), ri)
	if err != nil {
		return nil, err
	}
	out := struct {
		Messages []wireMessage `json:"Messages,omitempty"`
	}{}
	systemNames := append(in.AttributeNames, in.MessageSystemAttributeNames...)
	for _, m := range msgs {
		wm := wireMessage{MessageId: m.MessageID, ReceiptHandle: m.ReceiptHandle, MD5OfBody: m.MD5OfBody, Body: m.Body,
			Attributes: selectSystem(m.SystemAttributes(), systemNames)}
		if attrs := selectUser(m.MessageAttributes, in.MessageAttributeNames); len(attrs) > 0 {
			wm.MD5OfMessageAttributes = attributesMD5(attrs)
			wm.MessageAttributes = map[string]wireAttribute{}
			for n, a := range attrs {
				wm.MessageAttributes[n] = wireAttribute(a)
			}
		}
		out.Messages = append(out.Messages, wm)
	}
	return out, nil
}

func selectSystem(all map[string]string, names []string) map[string]string {
	out := map[string]string{}
	for _, n := range names {
		if n == "All" {
			return all
		}
		if v, ok := all[n]; ok {
			out[n] = v
		}
	}
	return out
}

func selectUser(all map[string]MessageAttribute, names []string) map[string]MessageAttribute {
	out := map[string]MessageAttribute{}
	for _, n := range names {
		if n == "All" || n == ".*" {
			return all
		}
		prefix, isPrefix := strings.CutSuffix(n, ".*")
		for name, a := range all {
			if name == n || isPrefix && strings.HasPrefix(name, prefix+".") {
				out[name] = a
			}
		}
	}
	return out
}

func (b *Broker) deleteMessage(_ *http.Request, body []byte) (any, error) {
	var in struct {
		QueueUrl      string `json:"QueueUrl"`
		ReceiptHandle string `json:"ReceiptHandle"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	q, err := b.queueFor(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	if in.ReceiptHandle == "" {
		return nil, errMissingParameter("ReceiptHandle")
	}
	return struct{}{}, q.Delete(in.ReceiptHandle)
}

func (b *Broker) changeMessageVisibility(_ *http.Request, body []byte) (any, error) {
	var in struct {
		QueueUrl          string `json:"QueueUrl"`
		ReceiptHandle     string `json:"ReceiptHandle"`
		VisibilityTimeout *int32 `json:"VisibilityTimeout"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	q, err := b.queueFor(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	if in.VisibilityTimeout == nil {
		return nil, errMissingParameter("VisibilityTimeout")
	}
	return struct{}{}, q.ChangeVisibility(in.ReceiptHandle, *secondsPtr(in.VisibilityTimeout))
}

func (b *Broker) getQueueURL(r *http.Request, body []byte) (any, error) {
	var in struct {
		QueueName              string `json:"QueueName"`
		QueueOwnerAWSAccountId string `json:"QueueOwnerAWSAccountId"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if in.QueueName == "" {
		return nil, errMissingParameter("QueueName")
	}
	if _, ok := b.Queue(in.QueueName); !ok || in.QueueOwnerAWSAccountId != "" && in.QueueOwnerAWSAccountId != b.account {
		return nil, errQueueDoesNotExist()
	}
	return map[string]string{"QueueUrl": b.QueueURL(baseURL(r), in.QueueName)}, nil
}

var queueAttributeNames = map[string]bool{
	"All": true, "ApproximateNumberOfMessages": true, "ApproximateNumberOfMessagesNotVisible": true,
	"ApproximateNumberOfMessagesDelayed": true, "QueueArn": true, "VisibilityTimeout": true,
	"MessageRetentionPeriod": true, "DelaySeconds": true, "ReceiveMessageWaitTimeSeconds": true,
	"MaximumMessageSize": true, "CreatedTimestamp": true, "LastModifiedTimestamp": true, "RedrivePolicy": true,
	"SqsManagedSseEnabled": true, "Policy": true, "KmsMasterKeyId": true, "KmsDataKeyReusePeriodSeconds": true,
	"FifoQueue": true, "ContentBasedDeduplication": true, "DeduplicationScope": true, "FifoThroughputLimit": true,
	"RedriveAllowPolicy": true,
}

func (b *Broker) getQueueAttributes(_ *http.Request, body []byte) (any, error) {
	var in struct {
		QueueUrl       string   `json:"QueueUrl"`
		AttributeNames []string `json:"AttributeNames"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	q, err := b.queueFor(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	all := q.Attributes()
	out := map[string]string{}
	for _, n := range in.AttributeNames {
		if !queueAttributeNames[n] {
			return nil, errInvalidAttributeName(n)
		}
		if n == "All" {
			out = all
			break
		}
		if v, ok := all[n]; ok {
			out[n] = v
		}
	}
	return map[string]any{"Attributes": out}, nil
}

func (b *Broker) purgeQueue(_ *http.Request, body []byte) (any, error) {
	var in struct {
		QueueUrl string `json:"QueueUrl"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	q, err := b.queueFor(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	return struct{}{}, q.Purge()
}

func (b *Broker) listQueues(r *http.Request, body []byte) (any, error) {
	var in struct {
		QueueNamePrefix string `json:"QueueNamePrefix"`
		NextToken       string `json:"NextToken"`
		MaxResults      *int32 `json:"MaxResults"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	max := 1000
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > 1000 {
			return nil, errInvalidParameter("Value %d for parameter MaxResults is invalid. Reason: must be between 1 and 1000.", *in.MaxResults)
		}
		max = int(*in.MaxResults)
	}
	out := struct {
		QueueUrls []string `json:"QueueUrls,omitempty"`
		NextToken string   `json:"NextToken,omitempty"`
	}{}
	for _, n := range b.Names() {
		if !strings.HasPrefix(n, in.QueueNamePrefix) || n <= in.NextToken {
			continue
		}
		if len(out.QueueUrls) == max {
			out.NextToken = strings.TrimPrefix(out.QueueUrls[max-1], b.QueueURL(baseURL(r), ""))
			break
		}
		out.QueueUrls = append(out.QueueUrls, b.QueueURL(baseURL(r), n))
	}
	return out, nil
}
