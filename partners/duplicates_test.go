package partners

import (
	"testing"

	"github.com/partnergate/partnergate/canonical"
)

func TestBusinessKey(t *testing.T) {
	t.Parallel()
	order := func(number, purpose string) canonical.Document {
		o := canonical.NewOrder(canonical.KindPurchaseOrder)
		o.OrderNumber, o.Purpose = number, purpose
		return o
	}
	ship := canonical.NewShipment(canonical.KindShipNotice)
	ship.ShipmentID = "4500012345"
	tests := []struct {
		name string
		a, b canonical.Document
		same bool
	}{
		{"the same order twice", order("4500012345", canonical.PurposeOriginal), order("4500012345", ""), true},
		{"an order and its change", order("4500012345", canonical.PurposeOriginal), order("4500012345", canonical.PurposeChange), false},
		{"two orders", order("4500012345", ""), order("4500012346", ""), false},
		{"an order and a shipment with its number", order("4500012345", ""), ship, false},
	}
	for _, tt := range tests {
		if got := BusinessKey(tt.a) == BusinessKey(tt.b); got != tt.same {
			t.Errorf("%s: %q vs %q, same = %v", tt.name, BusinessKey(tt.a), BusinessKey(tt.b), got)
		}
	}
	if got := BusinessKey(order("4500012345", "")); got != "order/purchase_order/original/4500012345" {
		t.Errorf("key %q", got)
	}
}
