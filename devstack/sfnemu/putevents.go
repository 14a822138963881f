package sfnemu

import (
	"context"
	"fmt"
	"time"

	"github.com/goshop-dev/goshop/devstack/asl"
)

func (iv *invoker) putEvents(ctx context.Context, params any) (any, error) {
	p, _ := params.(map[string]any)
	list, ok := p["Entries"].([]any)
	if !ok || len(list) == 0 {
		return nil, &asl.Error{Name: asl.ErrRuntime, Cause: "events:putEvents: Entries must be a non-empty list"}
	}
	entries := make([]EventEntry, len(list))
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, &asl.Error{Name: asl.ErrRuntime, Cause: "events:putEvents: each entry must be an object"}
		}
		entry, err := toEntry(m)
		if err != nil {
			return nil, &asl.Error{Name: asl.ErrRuntime, Cause: "events:putEvents: " + err.Error()}
		}
		entry.Resources = append(entry.Resources, iv.e.ARN, iv.e.StateMachineARN)
		entries[i] = entry
	}
	results, err := iv.s.opts.Events.PutEvents(ctx, entries)
	if err != nil {
		return nil, apiErrorName(ctx, "EventBridge", err)
	}
	failed := 0
	out := make([]any, len(results))
	for i, r := range results {
		if r.ErrorCode != "" {
			failed++
			out[i] = map[string]any{"ErrorCode": r.ErrorCode, "ErrorMessage": r.ErrorMessage}
			continue
		}
		out[i] = map[string]any{"EventId": r.EventID}
	}
	result := map[string]any{"Entries": out, "FailedEntryCount": float64(failed)}
	if failed > 0 {
		cause, _ := marshalJSON(result)
		return nil, &asl.Error{Name: "EventBridge.FailedEntry", Cause: cause}
	}
	return result, nil
}

// toEntry reads one PutEvents entry; a Detail object is sent as its JSON.
func toEntry(m map[string]any) (EventEntry, error) {
	var e EventEntry
	str := func(k string) (string, error) {
		v, ok := m[k]
		if !ok {
			return "", nil
		}
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("field %s must be a string", k)
		}
		return s, nil
	}
	var err error
	if e.Source, err = str("Source"); err != nil {
		return e, err
	}
	if e.DetailType, err = str("DetailType"); err != nil {
		return e, err
	}
	if e.EventBusName, err = str("EventBusName"); err != nil {
		return e, err
	}
	switch d := m["Detail"].(type) {
	case nil:
	case string:
		e.Detail = d
	default:
		if e.Detail, err = marshalJSON(d); err != nil {
			return e, err
		}
	}
	if rs, ok := m["Resources"]; ok {
		list, ok := rs.([]any)
		if !ok {
			return e, fmt.Errorf("field Resources must be a list of strings")
		}
		for _, r := range list {
			s, ok := r.(string)
			if !ok {
				return e, fmt.Errorf("field Resources must be a list of strings")
			}
			e.Resources = append(e.Resources, s)
		}
	}
	if t, ok := m["Time"]; ok {
		s, ok := t.(string)
		if !ok {
			return e, fmt.Errorf("field Time must be an RFC 3339 string")
		}
		if e.Time, err = time.Parse(time.RFC3339, s); err != nil {
			return e, fmt.Errorf("field Time must be an RFC 3339 string")
		}
	}
	return e, nil
}
