// Package secretsemu serves the part of AWS Secrets Manager the app uses,
// GetSecretValue, over the AWS JSON 1.1 protocol (X-Amz-Target:
// secretsmanager.GetSecretValue), for the secrets of a devstack template.
//
// A secret whose template gives a SecretString serves it as given. A secret
// with a GenerateSecretString spec gets its value generated once, when the
// Service is created, from crypto/rand, following the spec as Secrets Manager
// documents it (GetRandomPassword): PasswordLength characters (1..4096) drawn
// from upper- and lower-case letters, digits and the punctuation
// !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~, minus the excluded types and
// ExcludeCharacters, plus the space with IncludeSpace; with
// RequireEachIncludedType at least one character of each included type.
// With SecretStringTemplate and GenerateStringKey the generated string is put
// under that key of the template's JSON object. A spec it cannot satisfy (no
// character left, a length too short for every required type, a template that
// is not a JSON object) is refused by New, naming the secret.
//
// Each secret has one version, AWSCURRENT. GetSecretValue finds a secret by
// name, ARN or partial ARN (the ARN without Secrets Manager's six-character
// suffix); an unknown secret, another VersionId or a VersionStage other than
// AWSCURRENT is ResourceNotFoundException, as AWS answers. Every other action
// is UnknownOperationException naming it.
//
// It is hand-written because the only emulators of Secrets Manager (moto,
// LocalStack) are Python services run in containers, and the subset the app
// uses is one read-only call.
package secretsemu
