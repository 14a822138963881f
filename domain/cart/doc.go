// Package cart is the shopping cart of one user: the items they mean to buy
// and the items they saved for later.
//
// # Rules
//
//   - A cart belongs to exactly one user, named by the authenticated caller;
//     no operation takes a user id from a request path or body.
//   - An active item is a product id, a quantity from MinQuantity to
//     MaxQuantity, the product's name and unit price as the catalog gave them
//     when the quantity was last set (a snapshot: later catalog changes do not
//     move the cart's prices), and when it was added and last updated.
//   - Setting a quantity is idempotent. The product must exist in the
//     catalog and have at least that many units available.
//   - A cart holds at most MaxItems distinct active items and MaxSavedItems
//     saved-for-later items, so every cart is small and read in one go.
//   - A product is either active or saved, never both: saving moves the active
//     item (with its snapshot) to the saved list; moving back re-checks the
//     catalog and sets quantity 1 with a fresh snapshot; setting the quantity
//     of a saved product takes it out of the saved list.
//   - Product ids are 1 to 64 characters of [A-Za-z0-9-].
//
// # Table design (carts)
//
// One item collection per user, partition key pk and sort key sk, both
// strings, no secondary index:
//
//	pk=CART#<userId>  sk=META                 itemCount, savedCount
//	pk=CART#<userId>  sk=ITEM#<productId>     productId, name, priceAmount, currency,
//	                                          quantity, addedAt, updatedAt, rev
//	pk=CART#<userId>  sk=SAVED#<productId>    productId, name, priceAmount, currency,
//	                                          savedAt, rev
//
// Times are RFC 3339 strings in UTC with nanoseconds; rev is a random token
// replaced on every write of the item (a counter would restart when an item
// is deleted and added again, and let a stale condition pass).
//
// Access patterns: reading a cart is one strongly consistent Query on pk
// (never a Scan), followed through its pages until done; a cart is bounded
// by MaxItems and MaxSavedItems. Every change goes through
// Repository.Update, which writes one TransactWriteItems holding only the
// items that changed, each conditioned on the state it was read in (absent,
// or its rev), plus a condition check on the product's other item (the
// active one when the saved one changes, and the reverse) so a product can
// never be both active and saved. When the number of active or saved items
// changes, the same transaction adds the difference to the META counters
// with the condition that the result stays within MaxItems and
// MaxSavedItems: the limits hold under any concurrency, not only in the
// copy a request read. A failed condition re-reads the cart and re-applies
// the change, a bounded number of times, so that a full cart is reported as
// ErrCartFull and a vanished item as ErrItemNotFound.
package cart
