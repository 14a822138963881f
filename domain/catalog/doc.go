// Package catalog is the catalog and inventory context: products with their
// price and stock, product search, and the stock reservations of the
// checkout saga.
//
// # Rules
//
// A product has an id (generated), a SKU unique across the catalog
// (upper-case [A-Z0-9-]{1,40}; input is trimmed and upper-cased), a name
// (1 to 200 printable characters), an optional description (at most 2000),
// a category slug ([a-z0-9-]{1,50}; input is trimmed and lower-cased), a
// positive price in one currency, and stock: units available to sell and
// units reserved by orders in checkout, both >= 0. Every change bumps the
// product's version.
//
// A reservation holds stock for one order. Reserve moves each line's units
// from available to reserved, atomically across the lines, and records the
// reservation; Release moves them back. Both are idempotent per order id,
// so the saga may retry or replay them: a reservation is recorded once, as
// RESERVED, REJECTED (out of stock; the shortage is kept so a replay reports
// the same error) or RELEASED, and Reserve afterwards only reports it.
// RESERVED may become RELEASED; nothing else changes status. Releasing an
// order that never reserved records a RELEASED tombstone, so that a Reserve
// arriving after the saga compensated is refused instead of holding stock
// forever. Lines naming the same product are merged.
//
// # Table design (DynamoDB table "products", env PRODUCTS_TABLE)
//
// One table, generic key attributes pk (partition) and sk (sort), three item
// types told apart by their type attribute:
//
//	type         pk                      sk            other attributes
//	Product      PRODUCT#<id>            PRODUCT       id sku name description category priceAmount
//	                                                   currency available reserved createdAt updatedAt
//	                                                   version gsi1pk gsi1sk gsi2pk gsi2sk
//	SKULock      SKU#<sku>               SKU           productId
//	Reservation  RESERVATION#<orderId>   RESERVATION   orderId status lines[{productId quantity}]
//	                                                   shortage{productId want have} createdAt updatedAt
//
// Times are RFC 3339 strings in UTC with nanoseconds; amounts and counts are
// numbers; status is RESERVED, REJECTED or RELEASED.
//
// Two global secondary indexes, projecting all attributes, sparse (only
// product items carry their keys):
//
//	gsi1  gsi1pk = CAT#<category>                    gsi1sk = <lower-case name> US <id>
//	gsi2  gsi2pk = NAME#<first rune of lower name>   gsi2sk = <lower-case name> US <id>
//
// US is the ASCII unit separator (0x1F). Names hold no control characters,
// so it sorts below every character of a name, and sorting by the sort key
// is sorting by (name, id) even when one name is a prefix of another.
//
// Access patterns:
//
//   - create a product: TransactWriteItems putting the product item and its
//     SKU lock item, each with attribute_not_exists(pk); a failed SKU lock
//     condition is ErrSKUTaken. Never read-before-write.
//   - get a product: GetItem PRODUCT#<id> (strongly consistent).
//   - look up up to 100 products: BatchGetItem, unprocessed keys retried.
//   - set inventory: GetItem, then PutItem with version = :read (optimistic
//     locking).
//   - search by category: Query gsi1, gsi1pk = CAT#<category>; with a name
//     prefix as well, begins_with(gsi1sk, <lower prefix>).
//   - search by name prefix: Query gsi2, gsi2pk = NAME#<first rune of the
//     prefix>, begins_with(gsi2sk, <lower prefix>).
//     Searches never Scan; the cursor is the last returned item's key
//     (pk, sk and the index keys) as base64url JSON, checked on decode to
//     belong to the same index partition and prefix.
//   - reserve: TransactWriteItems putting the RESERVED reservation item with
//     attribute_not_exists(pk) and, per line, updating the product with
//     available = available - q, reserved = reserved + q, version + 1 under
//     attribute_exists(pk) AND available >= q. Cancellation reasons (with
//     ALL_OLD items) tell an existing reservation, an unknown product, a
//     shortage (and the units available) and a transaction conflict apart.
//     A shortage is then recorded as a REJECTED item (attribute_not_exists).
//   - release: TransactWriteItems updating the reservation to RELEASED under
//     status = RESERVED and, per line, available + q, reserved - q; or, for
//     an unknown order, a RELEASED tombstone put with attribute_not_exists.
//
// The name partition of gsi2 is coarse (one per first letter): fine for a
// catalog of this size; a very large catalog would shard it by the first
// two letters.
package catalog
