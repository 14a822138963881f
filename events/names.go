package events

// EventBridge sources of the producers: the value of an event's "source",
// what a rule's pattern matches together with the detail-type.
const (
	SourceUsers    = SourcePrefix + ProducerUsers
	SourceOrders   = SourcePrefix + ProducerOrders
	SourcePayments = SourcePrefix + ProducerPayments
	SourceCatalog  = SourcePrefix + ProducerCatalog
)

// Reasons of PaymentFailedV1.
const (
	// PaymentReasonDeclined: the card processor refused the charge.
	PaymentReasonDeclined = "declined"
	// PaymentReasonError: the charge could not be made (a permanent gateway
	// failure, or the gateway did not answer in time).
	PaymentReasonError = "error"
)

// DetailType is the EventBridge detail-type of e: its Type.
func (e Envelope) DetailType() string { return e.Type }
