package canonical

// Header holds the fields every document has. It is embedded in Order,
// Shipment and Return, and its fields appear at the top level of their JSON.
type Header struct {
	// Schema is always SchemaV1.
	Schema string `json:"schema"`
	// Type is TypeOrder, TypeShipment or TypeReturn, matching the Go type.
	Type string `json:"type"`
	// Kind says what the document was or is to become, e.g. KindPurchaseOrder.
	Kind string `json:"kind,omitempty"`
	// Source describes where an inbound document came from; it is empty on
	// documents built by the ERP for sending.
	Source Source `json:"source,omitzero"`
	// Parties are the named parties in document order.
	Parties []Party `json:"parties,omitempty"`
	// References are the document's reference numbers in document order.
	References []Reference `json:"references,omitempty"`
	// Notes are free-text messages in document order.
	Notes []string `json:"notes,omitempty"`
}

// Head returns h; it lets every document satisfy Document.Head.
func (h *Header) Head() *Header { return h }

// Source describes the file and envelope a document was translated from.
type Source struct {
	// Format is FormatX12 or FormatCSV.
	Format string `json:"format"`
	// Set is the X12 transaction set (ST01), e.g. "850".
	Set string `json:"set,omitempty"`
	// Version is the X12 version as sent in GS08, e.g. "004010VICS".
	Version            string `json:"version,omitempty"`
	InterchangeControl string `json:"interchange_control,omitempty"` // ISA13
	GroupControl       string `json:"group_control,omitempty"`       // GS06
	TransactionControl string `json:"transaction_control,omitempty"` // ST02
	SenderQualifier    string `json:"sender_qualifier,omitempty"`    // ISA05
	SenderID           string `json:"sender_id,omitempty"`           // ISA06
	ReceiverQualifier  string `json:"receiver_qualifier,omitempty"`  // ISA07
	ReceiverID         string `json:"receiver_id,omitempty"`         // ISA08
	// ApplicationSender and ApplicationReceiver are GS02 and GS03.
	ApplicationSender   string `json:"application_sender,omitempty"`
	ApplicationReceiver string `json:"application_receiver,omitempty"`
	// Filename is the name the file arrived under, when known.
	Filename string `json:"filename,omitempty"`
}

// Party is a named party: buyer, ship-to, warehouse and so on (X12 N1 loop).
type Party struct {
	// Role is one of the RoleXxx constants, or the partner's code when it
	// has none (for X12, the raw N101).
	Role string `json:"role"`
	Name string `json:"name,omitempty"` // N102
	// AdditionalNames are further name lines (N201, N202).
	AdditionalNames []string `json:"additional_names,omitempty"`
	ID              string   `json:"id,omitempty"`           // N104
	IDQualifier     string   `json:"id_qualifier,omitempty"` // N103, e.g. "92", "1", "UL"
	Address         Address  `json:"address,omitzero"`
}

// Address is a postal address (X12 N3/N4).
type Address struct {
	Lines      []string `json:"lines,omitempty"`       // N301, N302 of each N3
	City       string   `json:"city,omitempty"`        // N401
	State      string   `json:"state,omitempty"`       // N402
	PostalCode string   `json:"postal_code,omitempty"` // N403
	Country    string   `json:"country,omitempty"`     // N404
}

// Reference is a qualified reference number (X12 REF or N9).
type Reference struct {
	Qualifier   string `json:"qualifier"`             // REF01/N901, e.g. "DP"
	Value       string `json:"value,omitempty"`       // REF02/N902
	Description string `json:"description,omitempty"` // REF03/N903
}

// Carrier is how goods travel.
type Carrier struct {
	SCAC    string `json:"scac,omitempty"`    // TD503, W6610, W2702
	Service string `json:"service,omitempty"` // TD512 service level
	Mode    string `json:"mode,omitempty"`    // TD504, W6602, W2701 (M, U, A, LT …)
	Routing string `json:"routing,omitempty"` // TD505, W6605, W2703
	// PaymentMethod is the shipment method of payment (freight terms) as
	// sent: FOB01, W6601, W2704 ("PP" prepaid, "CC" collect, "TP" third party).
	PaymentMethod string `json:"payment_method,omitempty"`
	// TrackingNumbers are shipment-level parcel tracking numbers (REF/N9 2I).
	TrackingNumbers []string `json:"tracking_numbers,omitempty"`
	BOL             string   `json:"bol,omitempty"` // bill of lading (REF/N9 BM)
	PRO             string   `json:"pro,omitempty"` // carrier PRO number (REF/N9 CN)
}

func (h *Header) validate(v *validator, docType string) {
	if h.Schema != SchemaV1 {
		v.add("schema", h.Schema, ErrSchema)
	}
	if h.Type != docType {
		v.add("type", h.Type, ErrTypeMismatch)
	}
	switch h.Source.Format {
	case "", FormatX12, FormatCSV:
	default:
		v.add("source.format", h.Source.Format, ErrInvalidValue)
	}
	for i := range h.Parties {
		v.required(index("parties", i)+".role", h.Parties[i].Role)
	}
	for i := range h.References {
		v.required(index("references", i)+".qualifier", h.References[i].Qualifier)
	}
}

// newHeader returns a canonical/v1 header of the given type and kind.
func newHeader(docType, kind string) Header {
	return Header{Schema: SchemaV1, Type: docType, Kind: kind}
}
