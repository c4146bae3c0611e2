package canonical

import "strconv"

// Shipment is a ship notice (X12 856) or a warehouse shipping advice (945):
// "these goods shipped, like this".
type Shipment struct {
	Header
	// ShipmentID identifies the shipment: BSN02 of an 856, W0604 of a 945.
	// Required.
	ShipmentID string `json:"shipment_id"`
	// Purpose is one of the PurposeXxx constants or the partner's code (BSN01).
	Purpose string `json:"purpose,omitempty"`
	// ReportingCode is the 945 reporting code as sent (W0601; "F" is the
	// usual value).
	ReportingCode string `json:"reporting_code,omitempty"`

	ShipDate              Date `json:"ship_date,omitempty"`
	ShipTime              Time `json:"ship_time,omitempty"`
	EstimatedDeliveryDate Date `json:"estimated_delivery_date,omitempty"`

	// OrderNumbers are the orders the shipment fills, without duplicates,
	// in document order (856 PRF01; 945 W0602 then W0606).
	OrderNumbers []string `json:"order_numbers,omitempty"`
	Carrier      Carrier  `json:"carrier,omitzero"`
	// Packages are the cartons and pallets, in document order.
	Packages []Package `json:"packages,omitempty"`
	// Lines are the shipped items, in document order; at least one is required.
	Lines []ShipmentLine `json:"lines"`

	TotalQuantity Decimal `json:"total_quantity,omitempty"` // CTT02, W0301
	TotalWeight   Decimal `json:"total_weight,omitempty"`   // TD107 (S level), W0302
	WeightUOM     string  `json:"weight_uom,omitempty"`     // TD108, W0303
	// PackageCount is the lading quantity (TD102 at S level, W0306), 0 when
	// not sent.
	PackageCount int `json:"package_count,omitempty"`
}

// Package is a carton or pallet.
type Package struct {
	// Pallet is true for a tare (856 HL level T), false for a carton.
	Pallet         bool    `json:"pallet,omitempty"`
	SSCC           string  `json:"sscc,omitempty"`            // MAN GM
	TrackingNumber string  `json:"tracking_number,omitempty"` // MAN CP, REF 2I
	Weight         Decimal `json:"weight,omitempty"`
	WeightUOM      string  `json:"weight_uom,omitempty"`
	// Lines are indexes into the shipment's Lines of the lines packed in
	// this package. A line is listed in the package nearest to it.
	Lines []int `json:"lines,omitempty"`
}

// ShipmentLine is one shipped item.
type ShipmentLine struct {
	// LineNumber echoes the order's line number (LIN01, LX01 or N9 LI).
	LineNumber string `json:"line_number,omitempty"`
	// OrderNumber is the order the line belongs to, when the shipment names
	// it per line (856: the PRF01 of the line's order level).
	OrderNumber     string  `json:"order_number,omitempty"`
	Item            Item    `json:"item"`
	QuantityShipped Decimal `json:"quantity_shipped"`
	QuantityOrdered Decimal `json:"quantity_ordered,omitempty"`
	UOM             string  `json:"uom,omitempty"`
	// Status is the line status code as sent (SN108, W1201: CC, CP, BP …).
	Status     string      `json:"status,omitempty"`
	References []Reference `json:"references,omitempty"`
}

// NewShipment returns an empty shipment of the given kind with its schema and
// type set.
func NewShipment(kind string) *Shipment {
	return &Shipment{Header: newHeader(TypeShipment, kind)}
}

// DocType returns TypeShipment.
func (s *Shipment) DocType() string { return TypeShipment }

// BusinessKey returns the shipment ID.
func (s *Shipment) BusinessKey() string { return s.ShipmentID }

// Validate checks that the shipment ID and at least one line are present,
// that every line has a shipped quantity, that decimals, dates and times are
// well formed and that package line indexes point at lines. The error, if
// any, is a FieldErrors.
func (s *Shipment) Validate() error {
	var v validator
	s.Header.validate(&v, TypeShipment)
	v.required("shipment_id", s.ShipmentID)
	v.date("ship_date", s.ShipDate)
	v.time("ship_time", s.ShipTime)
	v.date("estimated_delivery_date", s.EstimatedDeliveryDate)
	for i := range s.Packages {
		p := &s.Packages[i]
		prefix := index("packages", i)
		v.decimal(prefix+".weight", p.Weight)
		for j, li := range p.Lines {
			if li < 0 || li >= len(s.Lines) {
				v.add(prefix+"."+index("lines", j), strconv.Itoa(li), ErrInvalidValue)
			}
		}
	}
	if len(s.Lines) == 0 {
		v.add("lines", "", ErrNoLines)
	}
	for i := range s.Lines {
		l := &s.Lines[i]
		p := index("lines", i)
		v.requiredDecimal(p+".quantity_shipped", l.QuantityShipped)
		v.decimal(p+".quantity_ordered", l.QuantityOrdered)
	}
	v.decimal("total_quantity", s.TotalQuantity)
	v.decimal("total_weight", s.TotalWeight)
	v.nonNegative("package_count", s.PackageCount)
	return v.err()
}
