package partners

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/partnergate/partnergate/canonical"
	"github.com/partnergate/partnergate/edi"
)

// Check names a policy check: the key "check" of an entry of "policies".
type Check string

// Policy checks.
const (
	// CheckMissingSCAC fails an order or shipment without a carrier SCAC
	// (850/856 TD503, 940 W6610, 945 W2702, CSV carrier_scac).
	CheckMissingSCAC Check = "missing_scac"
	// CheckUnknownShipTo fails an order or shipment whose ship-to party, at
	// the header or on a line, has an ID (N104) that is not in the policy's
	// KnownShipTo, or has no ID at all.
	CheckUnknownShipTo Check = "unknown_ship_to"
	// CheckPastDate fails an order whose requested ship or delivery date,
	// or a shipment whose ship date, is before the day it was received.
	CheckPastDate Check = "past_date"
	// CheckPriceList fails an order line whose unit price differs from the
	// partner's price list by more than ThresholdPercent, either way.
	CheckPriceList Check = "price_list"
	// CheckFractionalQuantity fails a line whose quantity is not a whole
	// number in one of the policy's Units.
	CheckFractionalQuantity Check = "fractional_quantity"
	// CheckDuplicateKey is the document duplicate policy written as a
	// policy. It is not evaluated by Policies.Evaluate: the loader sets
	// Partner.Duplicates.Document from it, and the gateway applies that
	// when it stores the document (see BusinessKey).
	CheckDuplicateKey Check = "duplicate_key"
	// CheckOverShipment fails a shipment that, with the other shipments
	// against the same order, ships more of an order line than the order
	// asked for: an 856 against its 850, a 945 against its 940, found with
	// PolicyEnv.Related, the other shipments with PolicyEnv.Shipments.
	CheckOverShipment Check = "over_shipment"
	// CheckLateASN fails a ship notice (kind ship_notice: an 856 or a CSV
	// shipment confirmation) received more than Hours hours after its ship
	// date and time.
	CheckLateASN Check = "late_asn"
)

// checks are the known checks in documentation order.
var checks = []Check{CheckMissingSCAC, CheckUnknownShipTo, CheckPastDate, CheckPriceList,
	CheckFractionalQuantity, CheckDuplicateKey, CheckOverShipment, CheckLateASN}

// ActionWarn is the policy action that forwards the document as usual and
// records the violation, so it is counted in the partner's scorecard. It is
// not a duplicate action.
const ActionWarn Action = "warn"

// Defaults of the policy parameters.
const (
	// DefaultLateASNHours is the default of late_asn's "hours".
	DefaultLateASNHours = 24
	// DefaultThresholdPercent is the default of price_list's
	// "threshold_percent": any difference from the list fails.
	DefaultThresholdPercent canonical.Decimal = "0"
)

// DefaultFractionalUnits are the default "units" of fractional_quantity:
// each (EA).
func DefaultFractionalUnits() []string { return []string{"EA"} }

// Policy is one entry of "policies": a check, what is done with a document
// that fails it, and the check's parameters. Only the parameters of its
// Check are used.
type Policy struct {
	// Check is the check (key "check"). Required.
	Check Check
	// Action is what happens to a document that fails the check (key
	// "action"): ActionReject rejects it and acknowledges it as rejected,
	// ActionHold keeps it in the exception queue, not forwarded until a
	// person releases it, ActionWarn forwards it and counts the violation.
	// Required.
	Action Action

	// KnownShipTo are the ship-to IDs unknown_ship_to accepts, sorted and
	// without repeats: those of the key "known_ship_to" and those of the
	// list file of the key "file" (one ID per line), read when the partner
	// file loads.
	KnownShipTo []string
	// Prices is price_list's price list, read from the CSV file of the key
	// "file" when the partner file loads. Required for price_list.
	Prices *PriceList
	// ThresholdPercent is how far, in percent of the list price, price_list
	// lets a unit price be from the list, either way (key
	// "threshold_percent", a decimal from 0). A difference of exactly the
	// threshold passes. Default DefaultThresholdPercent.
	ThresholdPercent canonical.Decimal
	// Units are the units of measure (X12 element 355, such as EA, CA, PK)
	// whose quantities fractional_quantity requires to be whole (key
	// "units"), upper case. Default DefaultFractionalUnits.
	Units []string
	// Hours is how many hours after its ship date late_asn lets a ship
	// notice arrive (key "hours", from 1). Exactly Hours passes. Default
	// DefaultLateASNHours.
	Hours int

	// File and Line are where the entry is written: the partner file and
	// the line of its first key. Zero when the policy was not loaded.
	File string
	Line int
}

// Policies are a partner's policies (key "policies"), in file order, at most
// one per check. duplicate_key is not among them: it sets
// Partner.Duplicates.Document.
type Policies []Policy

// Severity returns the severity of a violation of p: edi.SeverityWarning
// for ActionWarn, edi.SeverityError for reject and hold.
func (p *Policy) Severity() edi.Severity {
	if p.Action == ActionWarn {
		return edi.SeverityWarning
	}
	return edi.SeverityError
}

// Violation is one failed check of one document.
type Violation struct {
	// Check is the check that failed, and Action the action of its policy.
	Check  Check
	Action Action
	// Severity is edi.SeverityError for reject and hold,
	// edi.SeverityWarning for warn.
	Severity edi.Severity
	// Field is the canonical JSON path of the value at fault, such as
	// "lines[2].unit_price", "carrier.scac" or "parties[0].id".
	Field string
	// Value is the value at fault as the document has it, "" when missing.
	Value string
	// Msg says what is wrong, naming the line, field and value, such as
	// "line 3 (item 12345): unit price 10.40 is 4.0% above the price list's
	// 10.00 (threshold 2%)".
	Msg string

	// Segment and Element locate the value in the X12 transaction set the
	// document was translated from, such as "TD5" and 3 for TD503, and Ref
	// is the element's data element reference number (AK402/IK402). Segment
	// is "" when the document did not come from X12. Line values are in the
	// segment of the line (PO1, SN1, W01, W12), the Field's index giving
	// the line.
	Segment string
	Element int
	Ref     int
	// Code is the AK403/IK403 data element error code that fits, when X12
	// has one: "1" (required element missing) for missing_scac and for a
	// ship-to without an ID, "7" (invalid code value) for an unknown
	// ship-to, "8" (invalid date) for past_date. It is empty otherwise: the
	// 997 and 999 acknowledge syntax, and have no code for a price, a
	// quantity or a lateness that breaks an agreement. For a rejected set
	// the gateway is expected to report a Code in an AK4/IK4 under the
	// AK3/IK3 of Segment (AK304 8), or in an AK3/IK3 with AK304 3
	// (mandatory segment missing) when the set has no such segment, and a
	// violation without a Code with AK502/IK502 5 alone.
	Code string
}

// Error returns "price_list (hold): line 3 (item 12345): unit price …", so
// that a Violation reads well in logs and as an error.
func (v Violation) Error() string {
	return fmt.Sprintf("%s (%s): %s", v.Check, v.Action, v.Msg)
}

// Outcome returns what happens to a document with the violations vs: the
// strongest of their actions, ActionReject before ActionHold before
// ActionWarn, or "" when vs is empty (the document passes).
func Outcome(vs []Violation) Action {
	var out Action
	for _, v := range vs {
		switch {
		case v.Action == ActionReject:
			return ActionReject
		case v.Action == ActionHold:
			out = ActionHold
		case out == "":
			out = v.Action
		}
	}
	return out
}

// RelatedFinder finds a stored document that a document refers to. The
// gateway implements it over its database; tests use a map.
type RelatedFinder interface {
	// Related returns the partner's document of the type (canonical.TypeOrder
	// …), kind (canonical.KindPurchaseOrder …) and business number
	// (BusinessKey), and whether there is one. When several match, the
	// latest. The error is for a failed lookup, not for a missing document.
	Related(ctx context.Context, partnerID, docType, kind, number string) (canonical.Document, bool, error)
}

// RelatedFunc adapts a function to RelatedFinder.
type RelatedFunc func(ctx context.Context, partnerID, docType, kind, number string) (canonical.Document, bool, error)

// Related calls f.
func (f RelatedFunc) Related(ctx context.Context, partnerID, docType, kind, number string) (canonical.Document, bool, error) {
	return f(ctx, partnerID, docType, kind, number)
}

// ShipmentFinder finds the other shipments against an order, so that
// over_shipment counts what they shipped too. The gateway implements it
// over its database; tests use a list.
type ShipmentFinder interface {
	// EarlierShipments returns the partner's shipments of the kind
	// (canonical.KindShipNotice …) that name the order number, in its
	// order_numbers or in a line's order_number: the latest version of
	// each shipment ID that is not rejected and not a duplicate, other
	// than shipmentID, whose versions the shipment being checked replaces.
	// over_shipment itself leaves out a shipment with shipmentID and one
	// whose latest version cancels it, so a finder may return them. The
	// error is for a failed lookup; no shipment is not an error.
	EarlierShipments(ctx context.Context, partnerID, kind, orderNumber, shipmentID string) ([]*canonical.Shipment, error)
}

// EarlierShipmentsFunc adapts a function to ShipmentFinder.
type EarlierShipmentsFunc func(ctx context.Context, partnerID, kind, orderNumber, shipmentID string) ([]*canonical.Shipment, error)

// EarlierShipments calls f.
func (f EarlierShipmentsFunc) EarlierShipments(ctx context.Context, partnerID, kind, orderNumber, shipmentID string) ([]*canonical.Shipment, error) {
	return f(ctx, partnerID, kind, orderNumber, shipmentID)
}

// PolicyEnv is what the checks need besides the document.
type PolicyEnv struct {
	// PartnerID is the partner the document came from, passed to Related
	// and Shipments. Required by over_shipment.
	PartnerID string
	// Received is when the gateway received the file holding the document
	// (when it was stored). Its location is the gateway's time zone: "the
	// day received" is Received's date there, and dates and times without
	// a zone in documents are read in it. Required by past_date and
	// late_asn.
	Received time.Time
	// Related finds the order a shipment ships, for over_shipment; the
	// order is looked up with the type canonical.TypeOrder, the kind that
	// matches the shipment's (purchase_order for a ship notice,
	// warehouse_order for a warehouse shipping advice) and each order
	// number of the shipment. Required by over_shipment.
	Related RelatedFinder
	// Shipments finds the other shipments against each order a shipment
	// ships, for over_shipment, which adds what they shipped of each order
	// line to what the shipment ships. Required by over_shipment; a finder
	// that returns no shipment compares each shipment on its own.
	Shipments ShipmentFinder
}

// ErrPolicyEnv is wrapped by the error of Evaluate when PolicyEnv lacks what
// a configured check needs.
var ErrPolicyEnv = errors.New("partners: incomplete policy environment")

// Evaluate runs every policy that applies to doc and returns the
// violations, in policy order and, within a policy, in document order. A
// check that does not apply to the document's type passes: missing_scac,
// unknown_ship_to, past_date and over_shipment do not apply to returns,
// price_list applies to orders only, late_asn to ship notices only.
//
// The error is ctx's error, an error of env.Related or env.Shipments, an
// invalid policy parameter (of policies not made by Load), or ErrPolicyEnv
// when env lacks the receipt time, the partner ID or a finder a configured
// check needs; the violations found so far are returned with it.
// Evaluate reads doc and never changes it. doc is expected to have passed
// Validate: values that are not well-formed decimals or dates are skipped.
func (ps Policies) Evaluate(ctx context.Context, doc canonical.Document, env *PolicyEnv) ([]Violation, error) {
	if doc == nil {
		return nil, errors.New("partners: Evaluate of a nil document")
	}
	if env == nil {
		env = &PolicyEnv{}
	}
	var out []Violation
	for i := range ps {
		p := &ps[i]
		if err := ctx.Err(); err != nil {
			return out, err
		}
		e := evaluation{p: p, doc: doc, env: env, x12: x12Set(doc)}
		if err := e.run(ctx); err != nil {
			return append(out, e.out...), err
		}
		out = append(out, e.out...)
	}
	return out, nil
}

// evaluation is one policy applied to one document.
type evaluation struct {
	p   *Policy
	doc canonical.Document
	env *PolicyEnv
	x12 string // the X12 set the document came from, "" when not X12
	out []Violation
}

func (e *evaluation) run(ctx context.Context) error {
	switch e.p.Check {
	case CheckMissingSCAC:
		e.missingSCAC()
	case CheckUnknownShipTo:
		e.unknownShipTo()
	case CheckPastDate:
		return e.pastDate()
	case CheckPriceList:
		return e.priceList()
	case CheckFractionalQuantity:
		e.fractionalQuantity()
	case CheckDuplicateKey:
		// Applied by the gateway through Duplicates.Document.
	case CheckOverShipment:
		return e.overShipment(ctx)
	case CheckLateASN:
		return e.lateASN()
	default:
		return fmt.Errorf("partners: unknown policy check %q", e.p.Check)
	}
	return nil
}

// x12Ref locates a value in an X12 set.
type x12Ref struct {
	segment string
	element int
	ref     int
}

// add records a violation; ref applies when the document came from X12.
func (e *evaluation) add(field, value string, ref x12Ref, code, format string, args ...any) {
	v := Violation{Check: e.p.Check, Action: e.p.Action, Severity: e.p.Severity(), Field: field, Value: value,
		Msg: fmt.Sprintf(format, args...)}
	if e.x12 != "" && ref.segment != "" {
		v.Segment, v.Element, v.Ref, v.Code = ref.segment, ref.element, ref.ref, code
	}
	e.out = append(e.out, v)
}

// x12Set returns the X12 set doc was translated from, or "".
func x12Set(doc canonical.Document) string {
	h := doc.Head()
	if h.Source.Format != canonical.FormatX12 {
		return ""
	}
	if h.Source.Set != "" {
		return h.Source.Set
	}
	switch h.Kind {
	case canonical.KindPurchaseOrder:
		return "850"
	case canonical.KindWarehouseOrder:
		return "940"
	case canonical.KindShipNotice:
		return "856"
	case canonical.KindWarehouseShippingAdvice:
		return "945"
	}
	return ""
}

func needEnv(c Check, what string) error {
	return fmt.Errorf("%w: %s needs PolicyEnv.%s", ErrPolicyEnv, c, what)
}
