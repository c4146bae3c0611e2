package canonical

// Order is a purchase order (X12 850) or a warehouse shipping order (940):
// "ship these goods".
type Order struct {
	Header
	// OrderNumber identifies the order: BEG03 of an 850, the depositor order
	// number W0502 of a 940. Required.
	OrderNumber string `json:"order_number"`
	// PurchaseOrderNumber is the customer's PO number (BEG03, W0503).
	PurchaseOrderNumber string `json:"purchase_order_number,omitempty"`
	// Purpose is one of the PurposeXxx constants or the partner's code.
	Purpose string `json:"purpose,omitempty"`
	// OrderType is the partner's order type code as sent (BEG02: SA, DS, RL …).
	OrderType string `json:"order_type,omitempty"`

	OrderDate             Date `json:"order_date,omitempty"`
	RequestedShipDate     Date `json:"requested_ship_date,omitempty"`
	RequestedDeliveryDate Date `json:"requested_delivery_date,omitempty"`
	CancelAfterDate       Date `json:"cancel_after_date,omitempty"`
	ShipNotBeforeDate     Date `json:"ship_not_before_date,omitempty"`
	ShipNoLaterDate       Date `json:"ship_no_later_date,omitempty"`
	DeliverNotBeforeDate  Date `json:"deliver_not_before_date,omitempty"`
	DeliverNoLaterDate    Date `json:"deliver_no_later_date,omitempty"`

	// Currency is an ISO 4217 code (CUR02).
	Currency     string       `json:"currency,omitempty"`
	Carrier      Carrier      `json:"carrier,omitzero"`
	PaymentTerms PaymentTerms `json:"payment_terms,omitzero"`
	// CODAmount is the cash-on-delivery amount (W6609).
	CODAmount Decimal `json:"cod_amount,omitempty"`

	// Lines are the order lines; at least one is required.
	Lines []OrderLine `json:"lines"`

	// TotalQuantity is the sender's total of line quantities (CTT02, W7601).
	TotalQuantity Decimal `json:"total_quantity,omitempty"`
	// TotalWeight and WeightUOM are the sender's total weight (W7602/W7603).
	TotalWeight Decimal `json:"total_weight,omitempty"`
	WeightUOM   string  `json:"weight_uom,omitempty"`
	// LineCount is the sender's count of lines (CTT01), 0 when not sent.
	LineCount int `json:"line_count,omitempty"`
}

// OrderLine is one ordered item.
type OrderLine struct {
	// LineNumber is the partner's line number (PO101, LX01), echoed in
	// acknowledgments and ship notices.
	LineNumber string  `json:"line_number,omitempty"`
	Quantity   Decimal `json:"quantity"`
	UOM        string  `json:"uom,omitempty"`
	UnitPrice  Decimal `json:"unit_price,omitempty"`
	// PriceBasis is the unit price code as sent (PO105: PE, UM, CT …).
	PriceBasis string `json:"price_basis,omitempty"`
	Item       Item   `json:"item"`
	// Parties are line-level parties, such as the ship-to store of a line of
	// a multi-store order.
	Parties    []Party     `json:"parties,omitempty"`
	References []Reference `json:"references,omitempty"`
}

// PaymentTerms are the terms of sale (X12 ITD).
type PaymentTerms struct {
	TypeCode        string  `json:"type_code,omitempty"`        // ITD01
	BasisDateCode   string  `json:"basis_date_code,omitempty"`  // ITD02
	DiscountPercent Decimal `json:"discount_percent,omitempty"` // ITD03
	DiscountDays    int     `json:"discount_days,omitempty"`    // ITD05
	NetDays         int     `json:"net_days,omitempty"`         // ITD07
	Description     string  `json:"description,omitempty"`      // ITD12
}

// NewOrder returns an empty order of the given kind with its schema and type set.
func NewOrder(kind string) *Order {
	return &Order{Header: newHeader(TypeOrder, kind)}
}

// DocType returns TypeOrder.
func (o *Order) DocType() string { return TypeOrder }

// BusinessKey returns the order number.
func (o *Order) BusinessKey() string { return o.OrderNumber }

// Validate checks that the order number and at least one line are present,
// that every decimal is well formed, every line has a quantity and every date
// is a real date. The error, if any, is a FieldErrors.
func (o *Order) Validate() error {
	var v validator
	o.Header.validate(&v, TypeOrder)
	v.required("order_number", o.OrderNumber)
	for _, d := range [...]struct {
		field string
		date  Date
	}{
		{"order_date", o.OrderDate},
		{"requested_ship_date", o.RequestedShipDate},
		{"requested_delivery_date", o.RequestedDeliveryDate},
		{"cancel_after_date", o.CancelAfterDate},
		{"ship_not_before_date", o.ShipNotBeforeDate},
		{"ship_no_later_date", o.ShipNoLaterDate},
		{"deliver_not_before_date", o.DeliverNotBeforeDate},
		{"deliver_no_later_date", o.DeliverNoLaterDate},
	} {
		v.date(d.field, d.date)
	}
	v.decimal("payment_terms.discount_percent", o.PaymentTerms.DiscountPercent)
	v.nonNegative("payment_terms.discount_days", o.PaymentTerms.DiscountDays)
	v.nonNegative("payment_terms.net_days", o.PaymentTerms.NetDays)
	v.decimal("cod_amount", o.CODAmount)
	if len(o.Lines) == 0 {
		v.add("lines", "", ErrNoLines)
	}
	for i := range o.Lines {
		l := &o.Lines[i]
		p := index("lines", i)
		v.requiredDecimal(p+".quantity", l.Quantity)
		v.decimal(p+".unit_price", l.UnitPrice)
		for j := range l.Parties {
			v.required(p+"."+index("parties", j)+".role", l.Parties[j].Role)
		}
	}
	v.decimal("total_quantity", o.TotalQuantity)
	v.decimal("total_weight", o.TotalWeight)
	v.nonNegative("line_count", o.LineCount)
	return v.err()
}
