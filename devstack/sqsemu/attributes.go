package sqsemu

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// applyAttributes sets the queue attributes of a CreateQueue (creating) or
// SetQueueAttributes request on cfg. Attributes devstack does not emulate
// are refused with UnsupportedOperation naming them, read-only and unknown
// ones with InvalidAttributeName.
func applyAttributes(cfg *QueueConfig, attrs map[string]string, creating bool) error {
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		v := attrs[name]
		var err error
		switch name {
		case "VisibilityTimeout":
			cfg.VisibilityTimeout, err = secondsAttribute(name, v)
		case "MessageRetentionPeriod":
			cfg.MessageRetentionPeriod, err = secondsAttribute(name, v)
		case "DelaySeconds":
			cfg.Delay, err = secondsAttribute(name, v)
		case "ReceiveMessageWaitTimeSeconds":
			cfg.ReceiveMessageWaitTime, err = secondsAttribute(name, v)
		case "MaximumMessageSize":
			cfg.MaximumMessageSize, err = intAttribute(name, v)
		case "RedrivePolicy":
			cfg.RedrivePolicy, err = redrivePolicyAttribute(v)
		case "Policy":
			if v != "" && !json.Valid([]byte(v)) {
				err = errInvalidAttributeValue(name, "the policy is not a JSON document")
			}
			cfg.Policy = v
		case "SqsManagedSseEnabled":
			var b bool
			b, err = boolAttribute(name, v)
			cfg.SqsManagedSseEnabled = &b
		case "FifoQueue":
			if !creating {
				return errInvalidAttributeName(name)
			}
			if fifo, err := boolAttribute(name, v); err != nil || fifo {
				return errUnsupportedFeature("devstack emulates standard queues only: FifoQueue %q is not supported", v)
			}
		case "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds":
			return errUnsupportedFeature("devstack does not emulate SSE-KMS: the queue attribute %s is not supported", name)
		case "RedriveAllowPolicy":
			return errUnsupportedFeature("devstack does not emulate redrive allow policies: the queue attribute %s is not supported", name)
		case "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit":
			return errUnsupportedFeature("devstack emulates standard queues only: the FIFO queue attribute %s is not supported", name)
		default:
			return errInvalidAttributeName(name)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func intAttribute(name, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, errInvalidAttributeValue(name, "%q is not an integer", v)
	}
	return n, nil
}

func secondsAttribute(name, v string) (time.Duration, error) {
	n, err := intAttribute(name, v)
	return time.Duration(n) * time.Second, err
}

func boolAttribute(name, v string) (bool, error) {
	switch v {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, errInvalidAttributeValue(name, "%q is not true or false", v)
}

// redrivePolicyAttribute parses a RedrivePolicy; "" removes it. SQS takes
// maxReceiveCount as a number or a numeric string.
func redrivePolicyAttribute(v string) (*RedrivePolicy, error) {
	if v == "" {
		return nil, nil
	}
	var raw struct {
		DeadLetterTargetARN string          `json:"deadLetterTargetArn"`
		MaxReceiveCount     json.RawMessage `json:"maxReceiveCount"`
	}
	invalid := func(reason string) error {
		return errInvalidParameter("Value %s for parameter RedrivePolicy is invalid. Reason: %s", v, reason)
	}
	if err := json.Unmarshal([]byte(v), &raw); err != nil {
		return nil, invalid("Redrive policy is not a valid JSON map.")
	}
	if raw.DeadLetterTargetARN == "" {
		return nil, invalid("Redrive policy does not contain mandatory attribute: deadLetterTargetArn.")
	}
	if len(raw.MaxReceiveCount) == 0 {
		return nil, invalid("Redrive policy does not contain mandatory attribute: maxReceiveCount.")
	}
	var count string
	if err := json.Unmarshal(raw.MaxReceiveCount, &count); err != nil {
		count = string(raw.MaxReceiveCount)
	}
	n, err := strconv.Atoi(count)
	if err != nil {
		return nil, invalid("Invalid value for maxReceiveCount: " + count + ", valid values are from 1 to 1000 both inclusive.")
	}
	return &RedrivePolicy{DeadLetterTargetARN: raw.DeadLetterTargetARN, MaxReceiveCount: n}, nil
}

// createQueue is CreateQueue: a new queue, or the URL of the existing one
// when its attributes are the same (QueueNameExists when they differ).
// Tags are accepted and ignored: devstack does not emulate tagging.
func (b *Broker) createQueue(r *http.Request, body []byte) (any, error) {
	var in struct {
		QueueName  string            `json:"QueueName"`
		Attributes map[string]string `json:"Attributes"`
		Tags       map[string]string `json:"tags"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if in.QueueName == "" {
		return nil, errMissingParameter("QueueName")
	}
	cfg := defaultConfig()
	if err := applyAttributes(&cfg, in.Attributes, true); err != nil {
		return nil, err
	}
	if _, _, err := b.create(in.QueueName, cfg); err != nil {
		return nil, err
	}
	return map[string]string{"QueueUrl": b.QueueURL(baseURL(r), in.QueueName)}, nil
}

func (b *Broker) deleteQueue(_ *http.Request, body []byte) (any, error) {
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
	return struct{}{}, b.DeleteQueue(q.Name())
}

// setQueueAttributes changes the attributes given and keeps the others.
func (b *Broker) setQueueAttributes(_ *http.Request, body []byte) (any, error) {
	var in struct {
		QueueUrl   string            `json:"QueueUrl"`
		Attributes map[string]string `json:"Attributes"`
	}
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	q, err := b.queueFor(in.QueueUrl)
	if err != nil {
		return nil, err
	}
	if len(in.Attributes) == 0 {
		return nil, errMissingParameter("Attributes")
	}
	cfg := q.Config()
	if err := applyAttributes(&cfg, in.Attributes, false); err != nil {
		return nil, err
	}
	return struct{}{}, q.setConfig(cfg)
}
