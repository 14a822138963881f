package secretsemu_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"

	"github.com/goshop-dev/goshop/devstack/secretsemu"
	"github.com/goshop-dev/goshop/devstack/template"
)

const punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

func TestGenerate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		spec  template.GenerateSecretString
		allow func(rune) bool
	}{
		{
			name:  "template spec: length 64 without punctuation",
			spec:  template.GenerateSecretString{PasswordLength: 64, ExcludePunctuation: true},
			allow: func(c rune) bool { return isLetter(c) || isDigit(c) },
		},
		{
			name:  "digits only",
			spec:  template.GenerateSecretString{PasswordLength: 20, ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true},
			allow: isDigit,
		},
		{
			name:  "excluded characters",
			spec:  template.GenerateSecretString{PasswordLength: 200, ExcludeCharacters: "abcABC012" + punctuation},
			allow: func(c rune) bool { return (isLetter(c) || isDigit(c)) && !strings.ContainsRune("abcABC012", c) },
		},
		{
			name:  "space included",
			spec:  template.GenerateSecretString{PasswordLength: 30, IncludeSpace: true, ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true},
			allow: func(c rune) bool { return c == ' ' },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := secretsemu.Generate(tt.spec, rand.Reader)
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			if len(got) != tt.spec.PasswordLength {
				t.Errorf("length = %d, want %d", len(got), tt.spec.PasswordLength)
			}
			for _, c := range got {
				if !tt.allow(c) {
					t.Errorf("character %q is not allowed by the spec in %q", c, got)
				}
			}
		})
	}
}

func TestGenerateRequireEachIncludedType(t *testing.T) {
	t.Parallel()
	spec := template.GenerateSecretString{PasswordLength: 4, RequireEachIncludedType: true}
	for range 200 {
		got, err := secretsemu.Generate(spec, rand.Reader)
		if err != nil {
			t.Fatalf("Generate: %v", err)
		}
		var lower, upper, digit, punct bool
		for _, c := range got {
			switch {
			case c >= 'a' && c <= 'z':
				lower = true
			case c >= 'A' && c <= 'Z':
				upper = true
			case isDigit(c):
				digit = true
			case strings.ContainsRune(punctuation, c):
				punct = true
			}
		}
		if !lower || !upper || !digit || !punct {
			t.Fatalf("%q lacks an included type (lower %v, upper %v, digit %v, punctuation %v)", got, lower, upper, digit, punct)
		}
	}
}

func TestGenerateIsRandom(t *testing.T) {
	t.Parallel()
	spec := template.GenerateSecretString{PasswordLength: 64, ExcludePunctuation: true}
	a, errA := secretsemu.Generate(spec, rand.Reader)
	b, errB := secretsemu.Generate(spec, rand.Reader)
	if err := errors.Join(errA, errB); err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Errorf("two generated values are equal: %q", a)
	}
}

func TestNewRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		spec template.GenerateSecretString
		want string
	}{
		{"zero length", template.GenerateSecretString{}, "PasswordLength 0"},
		{"too long", template.GenerateSecretString{PasswordLength: 5000}, "PasswordLength 5000"},
		{"nothing left", template.GenerateSecretString{PasswordLength: 8, ExcludeLowercase: true, ExcludeUppercase: true,
			ExcludeNumbers: true, ExcludePunctuation: true}, "every character is excluded"},
		{"too short for each type", template.GenerateSecretString{PasswordLength: 3, RequireEachIncludedType: true}, "cannot hold"},
		{"template not an object", template.GenerateSecretString{PasswordLength: 8, SecretStringTemplate: "[1]",
			GenerateStringKey: "password"}, "not a JSON object"},
		{"key without template", template.GenerateSecretString{PasswordLength: 8, GenerateStringKey: "password"}, "go together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spec := tt.spec
			_, err := secretsemu.New([]*template.Secret{{LogicalID: "Key1", Name: "key", ARN: arn("key"), Generate: &spec}}, secretsemu.Options{})
			if err == nil {
				t.Fatal("New accepted the spec")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "Key1") {
				t.Errorf("error %q does not name the secret and say %q", err, tt.want)
			}
		})
	}
}

func TestGetSecretValue(t *testing.T) {
	t.Parallel()
	given := "s3cret"
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	svc, err := secretsemu.New([]*template.Secret{
		{LogicalID: "Given", Name: "given", ARN: arn("given"), SecretString: &given},
		{LogicalID: "Signing", Name: "goshop-dev-TokenSigningKey", ARN: arn("goshop-dev-TokenSigningKey"),
			Generate: &template.GenerateSecretString{PasswordLength: 64, ExcludePunctuation: true}},
		{LogicalID: "Templated", Name: "templated", ARN: arn("templated"),
			Generate: &template.GenerateSecretString{PasswordLength: 16, SecretStringTemplate: `{"user":"app"}`, GenerateStringKey: "password"}},
	}, secretsemu.Options{Now: func() time.Time { return created }, NewVersionID: func() string { return "v1" }})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	client := newClient(t, svc)
	ctx := context.Background()

	get := func(t *testing.T, in *secretsmanager.GetSecretValueInput) *secretsmanager.GetSecretValueOutput {
		t.Helper()
		out, err := client.GetSecretValue(ctx, in)
		if err != nil {
			t.Fatalf("GetSecretValue(%s): %v", aws.ToString(in.SecretId), err)
		}
		return out
	}

	t.Run("given value by name", func(t *testing.T) {
		out := get(t, &secretsmanager.GetSecretValueInput{SecretId: aws.String("given")})
		if aws.ToString(out.SecretString) != given || aws.ToString(out.ARN) != arn("given") || aws.ToString(out.Name) != "given" {
			t.Errorf("got %q %q %q", aws.ToString(out.SecretString), aws.ToString(out.ARN), aws.ToString(out.Name))
		}
		if aws.ToString(out.VersionId) != "v1" || len(out.VersionStages) != 1 || out.VersionStages[0] != "AWSCURRENT" {
			t.Errorf("version %q stages %v", aws.ToString(out.VersionId), out.VersionStages)
		}
		if !aws.ToTime(out.CreatedDate).Equal(created) {
			t.Errorf("CreatedDate = %v, want %v", aws.ToTime(out.CreatedDate), created)
		}
	})

	t.Run("generated once, found by ARN, partial ARN and name", func(t *testing.T) {
		full := arn("goshop-dev-TokenSigningKey")
		values := map[string]bool{}
		for _, id := range []string{full, full[:len(full)-7], "goshop-dev-TokenSigningKey"} {
			values[aws.ToString(get(t, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)}).SecretString)] = true
		}
		if len(values) != 1 {
			t.Fatalf("the secret had %d values, want 1: %v", len(values), values)
		}
		for v := range values {
			if len(v) != 64 || strings.ContainsAny(v, punctuation) {
				t.Errorf("value %q breaks its spec", v)
			}
		}
	})

	t.Run("generated under the template key", func(t *testing.T) {
		out := get(t, &secretsmanager.GetSecretValueInput{SecretId: aws.String("templated")})
		var doc map[string]string
		if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &doc); err != nil {
			t.Fatalf("value %q: %v", aws.ToString(out.SecretString), err)
		}
		if doc["user"] != "app" || len(doc["password"]) != 16 {
			t.Errorf("value = %v", doc)
		}
	})

	t.Run("current stage and version", func(t *testing.T) {
		get(t, &secretsmanager.GetSecretValueInput{SecretId: aws.String("given"), VersionStage: aws.String("AWSCURRENT"), VersionId: aws.String("v1")})
	})

	notFound := []*secretsmanager.GetSecretValueInput{
		{SecretId: aws.String("missing")},
		{SecretId: aws.String(arn("missing"))},
		{SecretId: aws.String("given"), VersionStage: aws.String("AWSPREVIOUS")},
		{SecretId: aws.String("given"), VersionId: aws.String("v0")},
	}
	for _, in := range notFound {
		t.Run("not found "+aws.ToString(in.SecretId), func(t *testing.T) {
			_, err := client.GetSecretValue(ctx, in)
			var nf *smtypes.ResourceNotFoundException
			if !errors.As(err, &nf) {
				t.Errorf("error = %v, want ResourceNotFoundException", err)
			}
		})
	}
}

func TestOtherActionsRefused(t *testing.T) {
	t.Parallel()
	svc, err := secretsemu.New(nil, secretsemu.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = newClient(t, svc).ListSecrets(context.Background(), &secretsmanager.ListSecretsInput{})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "UnknownOperationException" || !strings.Contains(apiErr.ErrorMessage(), "ListSecrets") {
		t.Errorf("error = %v, want UnknownOperationException naming ListSecrets", err)
	}
}

func newClient(t *testing.T, svc *secretsemu.Service) *secretsmanager.Client {
	t.Helper()
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	return secretsmanager.New(secretsmanager.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1,
	})
}

func arn(name string) string {
	return "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + name + "-AbCdEf"
}

func isLetter(c rune) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isDigit(c rune) bool  { return c >= '0' && c <= '9' }
