package canonical

import (
	"encoding/binary"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends the canonical/v1 JSON of doc to b: the bytes that
// encoding/json writes for it with HTML escaping off
// (json.Encoder.SetEscapeHTML(false)), without the Encoder's newline. It
// writes without reflection, for the paths that encode every document of a
// file.
func AppendJSON(b []byte, doc Document) []byte {
	e := encoder{b: b}
	switch d := doc.(type) {
	case *Order:
		e.order(d)
	case *Shipment:
		e.shipment(d)
	case *Return:
		e.ret(d)
	default:
		e.b = append(e.b, "null"...)
	}
	return e.b
}

// encoder appends JSON; more is set once the innermost open object or
// array has a member, so that the next one is preceded by a comma.
type encoder struct {
	b    []byte
	more bool
}

func (e *encoder) begin(c byte) {
	e.b = append(e.b, c)
	e.more = false
}

func (e *encoder) end(c byte) {
	e.b = append(e.b, c)
	e.more = true
}

// member writes the comma before an array member, when one is due.
func (e *encoder) member() {
	if e.more {
		e.b = append(e.b, ',')
	}
	e.more = true
}

// key writes an object key; the keys are the constant names of the
// canonical/v1 contract, which need no escaping.
func (e *encoder) key(k string) {
	e.member()
	e.b = append(e.b, '"')
	e.b = append(e.b, k...)
	e.b = append(e.b, '"', ':')
}

func (e *encoder) str(k, v string) {
	e.key(k)
	e.b = appendString(e.b, v)
}

// opt writes a string member that is omitted when empty (omitempty).
func (e *encoder) opt(k, v string) {
	if v != "" {
		e.str(k, v)
	}
}

func (e *encoder) optInt(k string, v int) {
	if v != 0 {
		e.key(k)
		e.b = strconv.AppendInt(e.b, int64(v), 10)
	}
}

func (e *encoder) optStrings(k string, vs []string) {
	if len(vs) == 0 {
		return
	}
	e.key(k)
	e.begin('[')
	for _, v := range vs {
		e.member()
		e.b = appendString(e.b, v)
	}
	e.end(']')
}

// list writes a slice member: omitted when empty if omit is set, null when
// nil otherwise, as encoding/json does.
func list[T any](e *encoder, k string, items []T, omit bool, each func(*encoder, *T)) {
	if omit && len(items) == 0 {
		return
	}
	e.key(k)
	if items == nil {
		e.b = append(e.b, "null"...)
		e.more = true
		return
	}
	e.begin('[')
	for i := range items {
		e.member()
		each(e, &items[i])
	}
	e.end(']')
}

func (e *encoder) header(h *Header) {
	e.str("schema", h.Schema)
	e.str("type", h.Type)
	e.opt("kind", h.Kind)
	if h.Source != (Source{}) {
		e.key("source")
		e.source(&h.Source)
	}
	list(e, "parties", h.Parties, true, (*encoder).party)
	list(e, "references", h.References, true, (*encoder).reference)
	e.optStrings("notes", h.Notes)
}

func (e *encoder) source(s *Source) {
	e.begin('{')
	e.str("format", s.Format)
	e.opt("set", s.Set)
	e.opt("version", s.Version)
	e.opt("interchange_control", s.InterchangeControl)
	e.opt("group_control", s.GroupControl)
	e.opt("transaction_control", s.TransactionControl)
	e.opt("sender_qualifier", s.SenderQualifier)
	e.opt("sender_id", s.SenderID)
	e.opt("receiver_qualifier", s.ReceiverQualifier)
	e.opt("receiver_id", s.ReceiverID)
	e.opt("application_sender", s.ApplicationSender)
	e.opt("application_receiver", s.ApplicationReceiver)
	e.opt("filename", s.Filename)
	e.end('}')
}

func (e *encoder) party(p *Party) {
	e.begin('{')
	e.str("role", p.Role)
	e.opt("name", p.Name)
	e.optStrings("additional_names", p.AdditionalNames)
	e.opt("id", p.ID)
	e.opt("id_qualifier", p.IDQualifier)
	if a := &p.Address; a.Lines != nil || a.City != "" || a.State != "" || a.PostalCode != "" || a.Country != "" {
		e.key("address")
		e.begin('{')
		e.optStrings("lines", a.Lines)
		e.opt("city", a.City)
		e.opt("state", a.State)
		e.opt("postal_code", a.PostalCode)
		e.opt("country", a.Country)
		e.end('}')
	}
	e.end('}')
}

func (e *encoder) reference(r *Reference) {
	e.begin('{')
	e.str("qualifier", r.Qualifier)
	e.opt("value", r.Value)
	e.opt("description", r.Description)
	e.end('}')
}

func (e *encoder) carrier(c *Carrier) {
	if c.TrackingNumbers == nil && c.SCAC == "" && c.Service == "" && c.Mode == "" && c.Routing == "" &&
		c.PaymentMethod == "" && c.BOL == "" && c.PRO == "" {
		return // omitzero
	}
	e.key("carrier")
	e.begin('{')
	e.opt("scac", c.SCAC)
	e.opt("service", c.Service)
	e.opt("mode", c.Mode)
	e.opt("routing", c.Routing)
	e.opt("payment_method", c.PaymentMethod)
	e.optStrings("tracking_numbers", c.TrackingNumbers)
	e.opt("bol", c.BOL)
	e.opt("pro", c.PRO)
	e.end('}')
}

func (e *encoder) item(it *Item) {
	e.key("item")
	e.begin('{')
	e.opt("buyer_item", it.BuyerItem)
	e.opt("vendor_item", it.VendorItem)
	e.opt("upc", it.UPC)
	e.opt("gtin", it.GTIN)
	e.opt("case_upc", it.CaseUPC)
	e.opt("sku", it.SKU)
	e.opt("description", it.Description)
	e.opt("lot", it.Lot)
	if len(it.IDs) > 0 {
		e.key("ids")
		e.productIDs(it.IDs)
	}
	e.end('}')
}

func (e *encoder) productIDs(p ProductIDs) {
	e.begin('{')
	for _, id := range p {
		e.member()
		e.b = appendString(e.b, id.Qualifier)
		e.b = append(e.b, ':')
		e.b = appendString(e.b, id.Value)
	}
	e.end('}')
}

func (e *encoder) order(o *Order) {
	e.begin('{')
	e.header(&o.Header)
	e.str("order_number", o.OrderNumber)
	e.opt("purchase_order_number", o.PurchaseOrderNumber)
	e.opt("purpose", o.Purpose)
	e.opt("order_type", o.OrderType)
	e.opt("order_date", string(o.OrderDate))
	e.opt("requested_ship_date", string(o.RequestedShipDate))
	e.opt("requested_delivery_date", string(o.RequestedDeliveryDate))
	e.opt("cancel_after_date", string(o.CancelAfterDate))
	e.opt("ship_not_before_date", string(o.ShipNotBeforeDate))
	e.opt("ship_no_later_date", string(o.ShipNoLaterDate))
	e.opt("deliver_not_before_date", string(o.DeliverNotBeforeDate))
	e.opt("deliver_no_later_date", string(o.DeliverNoLaterDate))
	e.opt("currency", o.Currency)
	e.carrier(&o.Carrier)
	if t := &o.PaymentTerms; *t != (PaymentTerms{}) {
		e.key("payment_terms")
		e.begin('{')
		e.opt("type_code", t.TypeCode)
		e.opt("basis_date_code", t.BasisDateCode)
		e.opt("discount_percent", string(t.DiscountPercent))
		e.optInt("discount_days", t.DiscountDays)
		e.optInt("net_days", t.NetDays)
		e.opt("description", t.Description)
		e.end('}')
	}
	e.opt("cod_amount", string(o.CODAmount))
	list(e, "lines", o.Lines, false, (*encoder).orderLine)
	e.opt("total_quantity", string(o.TotalQuantity))
	e.opt("total_weight", string(o.TotalWeight))
	e.opt("weight_uom", o.WeightUOM)
	e.optInt("line_count", o.LineCount)
	e.end('}')
}

func (e *encoder) orderLine(l *OrderLine) {
	e.begin('{')
	e.opt("line_number", l.LineNumber)
	e.str("quantity", string(l.Quantity))
	e.opt("uom", l.UOM)
	e.opt("unit_price", string(l.UnitPrice))
	e.opt("price_basis", l.PriceBasis)
	e.item(&l.Item)
	list(e, "parties", l.Parties, true, (*encoder).party)
	list(e, "references", l.References, true, (*encoder).reference)
	e.end('}')
}

func (e *encoder) shipment(s *Shipment) {
	e.begin('{')
	e.header(&s.Header)
	e.str("shipment_id", s.ShipmentID)
	e.opt("purpose", s.Purpose)
	e.opt("reporting_code", s.ReportingCode)
	e.opt("ship_date", string(s.ShipDate))
	e.opt("ship_time", string(s.ShipTime))
	e.opt("estimated_delivery_date", string(s.EstimatedDeliveryDate))
	e.optStrings("order_numbers", s.OrderNumbers)
	e.carrier(&s.Carrier)
	list(e, "packages", s.Packages, true, (*encoder).pkg)
	list(e, "lines", s.Lines, false, (*encoder).shipmentLine)
	e.opt("total_quantity", string(s.TotalQuantity))
	e.opt("total_weight", string(s.TotalWeight))
	e.opt("weight_uom", s.WeightUOM)
	e.optInt("package_count", s.PackageCount)
	e.end('}')
}

func (e *encoder) pkg(p *Package) {
	e.begin('{')
	if p.Pallet {
		e.key("pallet")
		e.b = append(e.b, "true"...)
	}
	e.opt("sscc", p.SSCC)
	e.opt("tracking_number", p.TrackingNumber)
	e.opt("weight", string(p.Weight))
	e.opt("weight_uom", p.WeightUOM)
	if len(p.Lines) > 0 {
		e.key("lines")
		e.begin('[')
		for _, n := range p.Lines {
			e.member()
			e.b = strconv.AppendInt(e.b, int64(n), 10)
		}
		e.end(']')
	}
	e.end('}')
}

func (e *encoder) shipmentLine(l *ShipmentLine) {
	e.begin('{')
	e.opt("line_number", l.LineNumber)
	e.opt("order_number", l.OrderNumber)
	e.item(&l.Item)
	e.str("quantity_shipped", string(l.QuantityShipped))
	e.opt("quantity_ordered", string(l.QuantityOrdered))
	e.opt("uom", l.UOM)
	e.opt("status", l.Status)
	list(e, "references", l.References, true, (*encoder).reference)
	e.end('}')
}

func (e *encoder) ret(r *Return) {
	e.begin('{')
	e.header(&r.Header)
	e.str("rma_number", r.RMANumber)
	e.opt("order_number", r.OrderNumber)
	e.opt("received_date", string(r.ReceivedDate))
	list(e, "lines", r.Lines, false, (*encoder).returnLine)
	e.end('}')
}

func (e *encoder) returnLine(l *ReturnLine) {
	e.begin('{')
	e.opt("line_number", l.LineNumber)
	e.item(&l.Item)
	e.str("quantity", string(l.Quantity))
	e.opt("uom", l.UOM)
	e.opt("reason", l.Reason)
	e.opt("condition", l.Condition)
	e.opt("disposition", l.Disposition)
	e.end('}')
}

// appendString appends s as a JSON string the way encoding/json writes it
// without HTML escaping: control characters escaped, invalid UTF-8 replaced
// by U+FFFD, and U+2028 and U+2029 escaped for JavaScript.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && plainWord(binary.LittleEndian.Uint64([]byte(s[i:i+8]))) {
			i += 8
			continue
		}
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			b = appendEscape(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, `\u202`...)
			b = append(b, hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// plainWord reports whether the eight bytes of w are printable ASCII other
// than the quote and the backslash, which JSON strings hold as they are.
func plainWord(w uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	quote, backslash := w^('"'*lo), w^('\\'*lo)
	special := (w - 0x20*lo) | (quote-lo)&^quote | (backslash-lo)&^backslash
	return (special|w)&hi == 0
}

// appendEscape appends the escape of an ASCII byte that JSON strings may
// not hold as it is.
func appendEscape(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}
