// Package domain holds the business rules of the shop, one bounded context
// per sub-package (users, catalog, cart, and the order flow to come). A
// context package knows nothing of AWS, HTTP or JSON: it declares the ports
// it needs, and its adapter sub-packages implement them — <context>ddb for
// DynamoDB, <context>http for the API handlers, <context>test for the
// in-memory fakes and the contract suites both run. The layering test in
// this folder keeps it that way.
package domain
