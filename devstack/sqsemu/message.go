package sqsemu

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"sort"
	"strings"
	"time"
)

// MessageAttribute is a message attribute: DataType is "String", "Number"
// or "Binary", optionally followed by ".customType".
type MessageAttribute struct {
	DataType    string
	StringValue string
	BinaryValue []byte
}

// Message is a received message.
type Message struct {
	MessageID     string
	ReceiptHandle string
	Body          string
	MD5OfBody     string
	// MD5OfMessageAttributes is empty when the message has no attributes.
	MD5OfMessageAttributes string
	MessageAttributes      map[string]MessageAttribute
	SentTimestamp          time.Time
	// ApproximateReceiveCount counts this receive.
	ApproximateReceiveCount          int
	ApproximateFirstReceiveTimestamp time.Time
}

// SystemAttributes returns the message system attributes SQS reports, as
// strings (timestamps in epoch milliseconds).
func (m Message) SystemAttributes() map[string]string {
	return map[string]string{
		"ApproximateReceiveCount":          itoa(m.ApproximateReceiveCount),
		"SentTimestamp":                    itoa64(m.SentTimestamp.UnixMilli()),
		"ApproximateFirstReceiveTimestamp": itoa64(m.ApproximateFirstReceiveTimestamp.UnixMilli()),
		"SenderId":                         "AIDADEVSTACKLOCAL",
	}
}

type message struct {
	id           string
	body         string
	md5Body      string
	attrs        map[string]MessageAttribute
	md5Attrs     string
	sent         time.Time
	visibleAt    time.Time
	receiveCount int
	firstReceive time.Time
	receipt      string
}

func (m *message) toMessage() Message {
	return Message{
		MessageID:                        m.id,
		ReceiptHandle:                    m.receipt,
		Body:                             m.body,
		MD5OfBody:                        m.md5Body,
		MD5OfMessageAttributes:           m.md5Attrs,
		MessageAttributes:                m.attrs,
		SentTimestamp:                    m.sent,
		ApproximateReceiveCount:          m.receiveCount,
		ApproximateFirstReceiveTimestamp: m.firstReceive,
	}
}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// attributesMD5 computes MD5OfMessageAttributes as SQS documents it: the
// attributes sorted by name, each encoded as name, data type, transport
// type (1 string/number, 2 binary) and value, strings and values prefixed
// by their 4-byte big-endian length.
func attributesMD5(attrs map[string]MessageAttribute) string {
	if len(attrs) == 0 {
		return ""
	}
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	h := md5.New()
	putBytes := func(b []byte) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	for _, n := range names {
		a := attrs[n]
		putBytes([]byte(n))
		putBytes([]byte(a.DataType))
		if strings.HasPrefix(a.DataType, "Binary") {
			h.Write([]byte{2})
			putBytes(a.BinaryValue)
		} else {
			h.Write([]byte{1})
			putBytes([]byte(a.StringValue))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// receipt handles carry the message id so a handle can be resolved to its
// message; the nonce makes each receive's handle different.
func encodeReceipt(id, nonce string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(id + "#" + nonce))
}

func decodeReceipt(handle string) (id string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(handle)
	if err != nil {
		return "", false
	}
	id, _, ok = strings.Cut(string(b), "#")
	return id, ok && id != ""
}
