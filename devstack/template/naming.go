package template

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// physicalName is the name of a resource the template does not name:
// "<stack>-<LogicalId>", shortened to max with a hash suffix that keeps it
// unique when it is too long.
func physicalName(stack, logicalID string, max int) string {
	name := stack + "-" + logicalID
	if len(name) <= max {
		return name
	}
	sum := hash(name)
	return name[:max-9] + "-" + sum[:8]
}

// shortID is a stable API Gateway style id: lower-case letters and digits.
func shortID(seed string, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	sum := sha256.Sum256([]byte(seed))
	var b strings.Builder
	for i := range n {
		b.WriteByte(alphabet[int(sum[i])%len(alphabet)])
	}
	return b.String()
}

// secretSuffix is the six characters Secrets Manager appends to a secret's
// name in its ARN; stable here so the ARN is the same on every run.
func secretSuffix(name string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	sum := sha256.Sum256([]byte("secret/" + name))
	var b strings.Builder
	for i := range 6 {
		b.WriteByte(alphabet[int(sum[i])%len(alphabet)])
	}
	return b.String()
}

// stableUUID is a UUID-shaped id derived from seed.
func stableUUID(seed string) string {
	h := hash(seed)
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// arn builds an ARN in the stack's partition, region and account.
func (r *resolver) arn(service, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", r.partition, service, r.opts.Region, r.opts.AccountID, resource)
}

// nameProp resolves a resource's name property; "" when absent.
func (r *resolver) nameProp(res *resource, prop string) (string, error) {
	v, ok := res.Properties[prop]
	if !ok {
		return "", nil
	}
	saved := r.resolving
	r.resolving = res.LogicalID
	defer func() { r.resolving = saved }()
	val, err := r.resolve(v, prop)
	if err != nil {
		return "", err
	}
	if val == noValue {
		return "", nil
	}
	s, err := scalarString(val)
	if err != nil {
		return "", fmt.Errorf("%s: %w", prop, err)
	}
	return s, nil
}

// nameOr returns the resource's name property or its derived physical name.
func (r *resolver) nameOr(res *resource, prop string, max int) (string, error) {
	name, err := r.nameProp(res, prop)
	if err != nil || name != "" {
		return name, err
	}
	return physicalName(r.opts.StackName, res.LogicalID, max), nil
}

// identity returns what Ref and Fn::GetAtt give for a resource.
func (r *resolver) identity(logicalID, where string) (*identity, error) {
	if id, ok := r.ids[logicalID]; ok {
		return id, nil
	}
	res, ok := r.doc.Resources[logicalID]
	if !ok {
		return nil, fmt.Errorf("%s: %q is neither a resource, a parameter nor a pseudo parameter", where, logicalID)
	}
	if cond, ok := r.excluded[logicalID]; ok {
		return nil, fmt.Errorf("%s: resource %s is not created (condition %s is false)", where, logicalID, cond)
	}
	if r.idBusy[logicalID] {
		return nil, fmt.Errorf("%s: resource %s: circular reference while naming it", where, logicalID)
	}
	r.idBusy[logicalID] = true
	defer delete(r.idBusy, logicalID)
	var fn func(*resolver, *resource) (*identity, error)
	if spec, ok := r.honoured[res.Type]; ok {
		fn = spec.identity
	} else if spec, ok := r.inert[res.Type]; ok {
		fn = spec.identity
	}
	if fn == nil {
		return nil, &UnsupportedError{LogicalID: logicalID, Type: res.Type, Reason: "resource type"}
	}
	id, err := fn(r, res)
	if err != nil {
		return nil, resourceError(res, err)
	}
	r.ids[logicalID] = id
	return id, nil
}
