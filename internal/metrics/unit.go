package metrics

// Unit is a CloudWatch metric unit, the Unit of an EMF MetricDefinition.
// The constants below are the ones this project uses; any other standard
// CloudWatch unit (such as "Gigabytes" or "Bits/Second") may be converted
// from its name, and Valid tells whether CloudWatch knows it.
type Unit string

// Units used by the project's metrics.
const (
	// Count is a number of occurrences: orders placed, messages failed.
	Count Unit = "Count"
	// CountPerSecond is a rate of occurrences.
	CountPerSecond Unit = "Count/Second"
	// Percent is a ratio in percent (0 to 100).
	Percent Unit = "Percent"
	// Microseconds is a duration in microseconds.
	Microseconds Unit = "Microseconds"
	// Milliseconds is a duration in milliseconds; Duration records in it.
	Milliseconds Unit = "Milliseconds"
	// Seconds is a duration in seconds.
	Seconds Unit = "Seconds"
	// Bytes is a size in bytes.
	Bytes Unit = "Bytes"
	// Kilobytes is a size in kilobytes.
	Kilobytes Unit = "Kilobytes"
	// Megabytes is a size in megabytes.
	Megabytes Unit = "Megabytes"
	// None is a value without unit, such as an amount of money; it is what
	// CloudWatch assumes when a MetricDefinition has no Unit.
	None Unit = "None"
)

// Valid reports whether u is one of the standard CloudWatch units
// (MetricDatum's StandardUnit, the list the EMF specification's schema
// allows).
func (u Unit) Valid() bool {
	switch u {
	case "Seconds", "Microseconds", "Milliseconds",
		"Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
		"Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
		"Percent", "Count",
		"Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
		"Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
		"Count/Second", "None":
		return true
	}
	return false
}
