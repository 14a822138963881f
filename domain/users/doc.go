// Package users is the users bounded context: accounts, credentials,
// profiles and preferences, and the rules that guard them.
//
// # Rules
//
//   - Email: trimmed and lower-cased before anything else, then a bare
//     address that net/mail accepts (no display name, no quoted local part),
//     at most 254 bytes. It is unique across accounts and cannot be changed
//     once registered: a change of address needs a verification flow this
//     service does not have yet, and the email lock item below would have to
//     move with it.
//   - Password: 8 to 72 bytes (bcrypt's limit), never trimmed, stored only as
//     a bcrypt hash made through the Hasher port, never returned.
//   - Name: 1 to 100 characters after trimming, no control characters.
//   - Preferences: an ISO 4217 currency of a circulating currency, up to 20
//     catalog category slugs ([a-z0-9-]{1,50}, duplicates dropped, order
//     kept), notification channels (email, SMS, push; a new account gets
//     email only) and an E.164 phone number. A profile change names only the
//     fields it sets; an empty currency or phone, or an empty category list,
//     clears that preference.
//   - Login: an unknown email and a wrong password fail alike, with
//     ErrInvalidCredentials, and cost about the same time: an unknown email
//     is checked against a dummy hash of the configured cost.
//   - Admin: a user is an admin when its email is in the configured list of
//     admin emails. Nothing a request says grants it. Because emails are not
//     verified yet, the admin accounts must be registered by their owners
//     before the API is exposed.
//
// # Table design
//
// One DynamoDB table (`users`), generic keys pk (partition) and sk (sort), no
// secondary index:
//
//	item        pk                  sk        attributes
//	user        USER#<id>           PROFILE   type=User, id, email, name, passwordHash,
//	                                          preferences{currency, categories,
//	                                          notifications{email,sms,push}, phone},
//	                                          createdAt, updatedAt (RFC 3339), version
//	email lock  EMAIL#<email>       EMAIL     type=EmailLock, email, userId
//
// Access patterns:
//
//   - Register: one TransactWriteItems putting the user item and the email
//     lock item, each with attribute_not_exists(pk); a failed condition on the
//     lock is ErrEmailTaken. Nothing is read first, so two concurrent
//     registrations of one email cannot both succeed.
//   - Login: GetItem of the email lock, then GetItem of the user it names,
//     both strongly consistent.
//   - Get profile: GetItem of the user (strongly consistent).
//   - Update profile: GetItem, change in memory, PutItem with the condition
//     version = <version read>, incrementing version; a lost race is retried
//     a few times from the read, then reported as ErrConflict.
package users
