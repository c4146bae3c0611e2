// Package canonical is partnergate's canonical model: the orders, shipments
// and returns that X12 and CSV files are translated into and that the gateway
// hands to ERP and WMS systems, together with their JSON form canonical/v1 and
// its validation.
//
// Every document is a concrete type (Order, Shipment, Return) embedding a
// common Header. The JSON form is flat: the header's fields sit next to the
// document's own. Quantities, prices and weights are Decimal strings, dates
// are ISO Date strings (YYYY-MM-DD) and times are Time strings (HH:MM[:SS]);
// no number ever passes through a float64.
//
// The package depends on no other package of partnergate.
package canonical

import (
	"encoding/json"
	"fmt"
)

// SchemaV1 is the value of the "schema" marker of every canonical/v1 document.
const SchemaV1 = "canonical/v1"

// Document types, the "type" field.
const (
	TypeOrder    = "order"
	TypeShipment = "shipment"
	TypeReturn   = "return"
)

// Document kinds, the "kind" field: what the document was, or is to become, in
// its partner-facing format.
const (
	KindPurchaseOrder           = "purchase_order"            // X12 850
	KindWarehouseOrder          = "warehouse_order"           // X12 940
	KindShipNotice              = "ship_notice"               // X12 856
	KindWarehouseShippingAdvice = "warehouse_shipping_advice" // X12 945
	KindReturnAuthorization     = "return_authorization"      // a return merchandise authorization
	KindReturnReceipt           = "return_receipt"            // goods received back
)

// Source formats, the "source.format" field.
const (
	FormatX12 = "x12"
	FormatCSV = "csv"
)

// Purposes, the "purpose" field of orders and shipments. A purpose not listed
// here is kept as the partner sent it.
const (
	PurposeOriginal     = "original"     // BEG01/BSN01 00, W0501 N
	PurposeCancel       = "cancel"       // BEG01/BSN01 01, W0501 C
	PurposeChange       = "change"       // BEG01/BSN01 04
	PurposeReplace      = "replace"      // BEG01/BSN01 05, W0501 R
	PurposeConfirmation = "confirmation" // BEG01/BSN01 06
	PurposeDuplicate    = "duplicate"    // BEG01/BSN01 07
)

// Party roles, the "role" field of a Party. A role not listed here is kept as
// the partner sent it (for X12, the raw N101 code).
const (
	RoleBuyer         = "buyer"            // N101 BY
	RoleShipTo        = "ship_to"          // N101 ST
	RoleBillTo        = "bill_to"          // N101 BT
	RoleShipFrom      = "ship_from"        // N101 SF
	RoleVendor        = "vendor"           // N101 VN
	RoleWarehouse     = "warehouse"        // N101 WH
	RoleDepositor     = "depositor"        // N101 DE
	RoleMarkFor       = "mark_for"         // N101 Z7
	RoleSeller        = "seller"           // N101 SE
	RoleSupplier      = "supplier"         // N101 SU
	RoleConsignee     = "consignee"        // N101 CN
	RoleBillAndShipTo = "bill_and_ship_to" // N101 BS
)

// Document is implemented by *Order, *Shipment and *Return.
type Document interface {
	// DocType returns the document type: TypeOrder, TypeShipment or TypeReturn.
	DocType() string
	// Head returns the document's common header, for reading or editing.
	Head() *Header
	// BusinessKey returns the number that identifies the document to people:
	// the order number, shipment ID or RMA number.
	BusinessKey() string
	// Validate checks the document; a non-nil error is a FieldErrors.
	Validate() error
}

// Decode parses one canonical/v1 JSON document, choosing its Go type from the
// "type" field. The document is not validated; call Validate.
func Decode(data []byte) (Document, error) {
	var probe struct {
		Schema string `json:"schema"`
		Type   string `json:"type"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("canonical: %w", err)
	}
	if probe.Schema != SchemaV1 {
		return nil, &FieldError{Field: "schema", Value: probe.Schema, Err: ErrSchema}
	}
	var doc Document
	switch probe.Type {
	case TypeOrder:
		doc = new(Order)
	case TypeShipment:
		doc = new(Shipment)
	case TypeReturn:
		doc = new(Return)
	default:
		return nil, &FieldError{Field: "type", Value: probe.Type, Err: ErrUnknownType}
	}
	if err := json.Unmarshal(data, doc); err != nil {
		return nil, fmt.Errorf("canonical: %s: %w", probe.Type, err)
	}
	return doc, nil
}

// PurposeOf returns the purpose of an order or shipment, PurposeOriginal
// when it has none, and PurposeOriginal for a return.
func PurposeOf(doc Document) string {
	purpose := ""
	switch d := doc.(type) {
	case *Order:
		purpose = d.Purpose
	case *Shipment:
		purpose = d.Purpose
	}
	if purpose == "" {
		return PurposeOriginal
	}
	return purpose
}
