// Package orderstask holds the orders service's entry points that are not
// HTTP routes: the checkout saga's ConfirmOrder and CancelOrder task
// handlers, and the consumer that keeps the user-name replica from
// UserRegistered and UserUpdated events. They live outside domain/ because
// they speak AWS contracts (sagatask errors, SQS batches). The Step
// Functions adapter that starts the saga is in subpackage sfnstarter.
package orderstask
