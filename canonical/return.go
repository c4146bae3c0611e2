package canonical

// Return is a return of goods: an authorization to return them or a receipt
// of goods returned.
type Return struct {
	Header
	// RMANumber identifies the return. Required.
	RMANumber string `json:"rma_number"`
	// OrderNumber is the original order, when known.
	OrderNumber  string `json:"order_number,omitempty"`
	ReceivedDate Date   `json:"received_date,omitempty"`
	// Lines are the returned items; at least one is required.
	Lines []ReturnLine `json:"lines"`
}

// ReturnLine is one returned item.
type ReturnLine struct {
	LineNumber string  `json:"line_number,omitempty"`
	Item       Item    `json:"item"`
	Quantity   Decimal `json:"quantity"`
	UOM        string  `json:"uom,omitempty"`
	// Reason, Condition and Disposition are the partner's codes or text, as
	// sent: why the goods came back, in what state, and what is to be done
	// with them.
	Reason      string `json:"reason,omitempty"`
	Condition   string `json:"condition,omitempty"`
	Disposition string `json:"disposition,omitempty"`
}

// NewReturn returns an empty return of the given kind with its schema and
// type set.
func NewReturn(kind string) *Return {
	return &Return{Header: newHeader(TypeReturn, kind)}
}

// DocType returns TypeReturn.
func (r *Return) DocType() string { return TypeReturn }

// BusinessKey returns the RMA number.
func (r *Return) BusinessKey() string { return r.RMANumber }

// Validate checks that the RMA number and at least one line are present, that
// every line has a well-formed quantity and that the received date is a real
// date. The error, if any, is a FieldErrors.
func (r *Return) Validate() error {
	var v validator
	r.Header.validate(&v, TypeReturn)
	v.required("rma_number", r.RMANumber)
	v.date("received_date", r.ReceivedDate)
	if len(r.Lines) == 0 {
		v.add("lines", "", ErrNoLines)
	}
	for i := range r.Lines {
		v.requiredDecimal(index("lines", i)+".quantity", r.Lines[i].Quantity)
	}
	return v.err()
}
