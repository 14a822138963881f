package secretsemu

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"

	"github.com/goshop-dev/goshop/devstack/template"
)

// Character sets of GetRandomPassword.
const (
	lowercase   = "abcdefghijklmnopqrstuvwxyz"
	uppercase   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	numbers     = "0123456789"
	punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
	space       = " "
)

// MaxPasswordLength is the longest generated value Secrets Manager accepts.
const MaxPasswordLength = 4096

// StageCurrent is the only version stage a secret has here.
const StageCurrent = "AWSCURRENT"

// Options configure a Service. Zero values take the defaults shown.
type Options struct {
	// Rand is the source of generated values (crypto/rand.Reader).
	Rand io.Reader
	// Now is the clock of the secrets' CreatedDate (time.Now).
	Now func() time.Time
	// NewVersionID returns each secret's VersionId (a random UUID).
	NewVersionID func() string
}

// Service holds the secrets of one template. It is read-only after New and
// safe for concurrent use.
type Service struct {
	secrets []*secret
}

type secret struct {
	name, arn, value, versionID string
	created                     time.Time
}

// New returns a Service serving secrets, generating each generated value
// once. A spec it cannot satisfy is an error naming the secret.
func New(secrets []*template.Secret, opts Options) (*Service, error) {
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.NewVersionID == nil {
		opts.NewVersionID = func() string { return newUUID(opts.Rand) }
	}
	s := &Service{}
	var errs []error
	for _, ts := range secrets {
		value, err := secretValue(ts, opts.Rand)
		if err != nil {
			errs = append(errs, fmt.Errorf("secret %s (%s): %w", ts.LogicalID, ts.Name, err))
			continue
		}
		s.secrets = append(s.secrets, &secret{
			name: ts.Name, arn: ts.ARN, value: value, versionID: opts.NewVersionID(), created: opts.Now(),
		})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return s, nil
}

// Value returns the current value of the secret with this name, ARN or
// partial ARN.
func (s *Service) Value(id string) (string, bool) {
	sec, ok := s.lookup(id)
	if !ok {
		return "", false
	}
	return sec.value, true
}

func (s *Service) lookup(id string) (*secret, bool) {
	for _, sec := range s.secrets {
		if id == sec.name || id == sec.arn || (len(sec.arn) > 7 && id == sec.arn[:len(sec.arn)-7]) {
			return sec, true
		}
	}
	return nil, false
}

func secretValue(ts *template.Secret, r io.Reader) (string, error) {
	switch {
	case ts.SecretString != nil && ts.Generate != nil:
		return "", errors.New("both SecretString and GenerateSecretString are set")
	case ts.SecretString != nil:
		return *ts.SecretString, nil
	case ts.Generate == nil:
		return "", errors.New("neither SecretString nor GenerateSecretString is set")
	}
	g := ts.Generate
	password, err := Generate(*g, r)
	if err != nil {
		return "", err
	}
	if g.SecretStringTemplate == "" && g.GenerateStringKey == "" {
		return password, nil
	}
	if g.SecretStringTemplate == "" || g.GenerateStringKey == "" {
		return "", errors.New("GenerateSecretString: SecretStringTemplate and GenerateStringKey go together")
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(g.SecretStringTemplate), &doc); err != nil || doc == nil {
		return "", errors.New("GenerateSecretString: SecretStringTemplate is not a JSON object")
	}
	doc[g.GenerateStringKey] = password
	out, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("GenerateSecretString: %w", err)
	}
	return string(out), nil
}

// Generate returns a random string following spec, drawn from r, the way
// Secrets Manager's GetRandomPassword does.
func Generate(spec template.GenerateSecretString, r io.Reader) (string, error) {
	if spec.PasswordLength < 1 || spec.PasswordLength > MaxPasswordLength {
		return "", fmt.Errorf("GenerateSecretString: PasswordLength %d is outside 1..%d", spec.PasswordLength, MaxPasswordLength)
	}
	var classes []string
	for _, c := range []struct {
		set      string
		excluded bool
	}{
		{lowercase, spec.ExcludeLowercase},
		{uppercase, spec.ExcludeUppercase},
		{numbers, spec.ExcludeNumbers},
		{punctuation, spec.ExcludePunctuation},
		{space, !spec.IncludeSpace},
	} {
		if c.excluded {
			continue
		}
		if set := without(c.set, spec.ExcludeCharacters); set != "" {
			classes = append(classes, set)
		}
	}
	if len(classes) == 0 {
		return "", errors.New("GenerateSecretString: every character is excluded")
	}
	if spec.RequireEachIncludedType && spec.PasswordLength < len(classes) {
		return "", fmt.Errorf("GenerateSecretString: PasswordLength %d cannot hold one character of each of %d included types",
			spec.PasswordLength, len(classes))
	}
	all := strings.Join(classes, "")
	out := make([]byte, spec.PasswordLength)
	for i := range out {
		c, err := pick(all, r)
		if err != nil {
			return "", err
		}
		out[i] = c
	}
	if spec.RequireEachIncludedType {
		// One distinct position per type, chosen at random, gets a character
		// of that type; the other positions stay uniform over every type.
		positions, err := permutation(len(out), r)
		if err != nil {
			return "", err
		}
		for i, set := range classes {
			c, err := pick(set, r)
			if err != nil {
				return "", err
			}
			out[positions[i]] = c
		}
	}
	return string(out), nil
}

func without(set, excluded string) string {
	return strings.Map(func(c rune) rune {
		if strings.ContainsRune(excluded, c) {
			return -1
		}
		return c
	}, set)
}

func pick(set string, r io.Reader) (byte, error) {
	n, err := rand.Int(r, big.NewInt(int64(len(set))))
	if err != nil {
		return 0, fmt.Errorf("generate: %w", err)
	}
	return set[n.Int64()], nil
}

// permutation returns a random permutation of 0..n-1 (Fisher-Yates).
func permutation(n int, r io.Reader) ([]int, error) {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j, err := rand.Int(r, big.NewInt(int64(i+1)))
		if err != nil {
			return nil, fmt.Errorf("generate: %w", err)
		}
		p[i], p[j.Int64()] = p[j.Int64()], p[i]
	}
	return p, nil
}

func newUUID(r io.Reader) string {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "00000000-0000-4000-8000-000000000000"
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
