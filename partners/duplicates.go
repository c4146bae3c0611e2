package partners

import "github.com/partnergate/partnergate/canonical"

// BusinessKey is what makes two documents of a partner the same business
// document: type, kind, purpose and number. A change or a cancellation of an
// order is not a duplicate of the order.
func BusinessKey(doc canonical.Document) string {
	h := doc.Head()
	return h.Type + "/" + h.Kind + "/" + canonical.PurposeOf(doc) + "/" + doc.BusinessKey()
}
