package flatfile

import (
	"slices"
	"strconv"

	"github.com/partnergate/partnergate/canonical"
)

// builder assembles one document from its rows.
type builder struct {
	res   *DocResult
	order *canonical.Order
	ship  *canonical.Shipment
	ret   *canonical.Return
	first []string // raw value of each document binding on the row that set it
	vals  []string // its canonical value
	rows  []int    // row that set each document binding
}

// scratch holds line slices reused from one document to the next: a
// document's lines grow there and are copied once, at their final size,
// when it is done.
type scratch struct {
	first, vals []string // see builder
	rows        []int
	order       []canonical.OrderLine
	ship        []canonical.ShipmentLine
	ret         []canonical.ReturnLine
	track, pos  []string // a shipment's tracking and order numbers
}

// keep returns a copy of list at its final size, nil when empty.
func keep(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	return slices.Clone(list)
}

// done copies the built document's lines out of sc, keeping sc's room.
func (b *builder) done(sc *scratch) {
	switch {
	case b.order != nil:
		sc.order = b.order.Lines[:0]
		b.order.Lines = slices.Clone(b.order.Lines)
	case b.ship != nil:
		sc.ship = b.ship.Lines[:0]
		b.ship.Lines = slices.Clone(b.ship.Lines)
		c := &b.ship.Carrier
		sc.track, sc.pos = c.TrackingNumbers[:0], b.ship.OrderNumbers[:0]
		c.TrackingNumbers, b.ship.OrderNumbers = keep(c.TrackingNumbers), keep(b.ship.OrderNumbers)
	default:
		sc.ret = b.ret.Lines[:0]
		b.ret.Lines = slices.Clone(b.ret.Lines)
	}
}

func newBuilder(pl *plan, sc *scratch, key string, row int) *builder {
	b := &builder{
		res:   &DocResult{Key: key, Row: row, LastRow: row},
		first: sc.first,
		vals:  sc.vals,
		rows:  sc.rows,
	}
	clear(b.first)
	clear(b.vals)
	clear(b.rows)
	src := canonical.Source{Format: canonical.FormatCSV}
	switch pl.p.DocType {
	case canonical.TypeOrder:
		b.order = canonical.NewOrder(pl.kind)
		b.order.Source, b.order.Lines = src, sc.order[:0]
	case canonical.TypeShipment:
		b.ship = canonical.NewShipment(pl.kind)
		b.ship.Source, b.ship.Lines = src, sc.ship[:0]
		b.ship.Carrier.TrackingNumbers, b.ship.OrderNumbers = sc.track[:0], sc.pos[:0]
	default:
		b.ret = canonical.NewReturn(pl.kind)
		b.ret.Source, b.ret.Lines = src, sc.ret[:0]
	}
	return b
}

func (b *builder) addErr(row int, column, value string, err error) {
	b.res.Errors = append(b.res.Errors, &RowError{Row: row, Column: column, Value: value, Err: err})
}

func (b *builder) doc() canonical.Document {
	switch {
	case b.order != nil:
		return b.order
	case b.ship != nil:
		return b.ship
	}
	return b.ret
}

func (b *builder) header() *canonical.Header { return b.doc().Head() }

// newLine appends an empty line numbered after the lines before it.
func (b *builder) newLine() {
	switch {
	case b.order != nil:
		b.order.Lines = append(b.order.Lines, canonical.OrderLine{LineNumber: strconv.Itoa(len(b.order.Lines) + 1)})
	case b.ship != nil:
		b.ship.Lines = append(b.ship.Lines, canonical.ShipmentLine{LineNumber: strconv.Itoa(len(b.ship.Lines) + 1)})
	default:
		b.ret.Lines = append(b.ret.Lines, canonical.ReturnLine{LineNumber: strconv.Itoa(len(b.ret.Lines) + 1)})
	}
}

// shipTo returns the document's ship-to party, adding it when missing.
func (b *builder) shipTo() *canonical.Party {
	h := b.header()
	for i := range h.Parties {
		if h.Parties[i].Role == canonical.RoleShipTo {
			return &h.Parties[i]
		}
	}
	h.Parties = append(h.Parties, canonical.Party{Role: canonical.RoleShipTo})
	return &h.Parties[len(h.Parties)-1]
}

func (b *builder) carrier() *canonical.Carrier {
	if b.order != nil {
		return &b.order.Carrier
	}
	return &b.ship.Carrier
}

// setDoc sets document field f to canonical value v.
func (b *builder) setDoc(f Field, v string) {
	switch f {
	case FieldShipToName, FieldShipToAddress1, FieldShipToAddress2, FieldShipToCity, FieldShipToState,
		FieldShipToPostalCode, FieldShipToCountry:
		setParty(b.shipTo(), f, v)
	case FieldCarrierSCAC:
		b.carrier().SCAC = v
	case FieldCarrierService:
		b.carrier().Service = v
	case FieldCarrierMode:
		b.carrier().Mode = v
	default:
		switch {
		case b.order != nil:
			setOrder(b.order, f, v)
		case b.ship != nil:
			setShipment(b.ship, f, v)
		default:
			setReturn(b.ret, f, v)
		}
	}
}

func setParty(p *canonical.Party, f Field, v string) {
	a := &p.Address
	switch f {
	case FieldShipToName:
		p.Name = v
	case FieldShipToAddress1, FieldShipToAddress2: // address1 sorts first
		a.Lines = append(a.Lines, v)
	case FieldShipToCity:
		a.City = v
	case FieldShipToState:
		a.State = v
	case FieldShipToPostalCode:
		a.PostalCode = v
	case FieldShipToCountry:
		a.Country = v
	}
}

func setOrder(o *canonical.Order, f Field, v string) {
	switch f {
	case FieldOrderNumber:
		o.OrderNumber = v
	case FieldPurchaseOrderNumber:
		o.PurchaseOrderNumber = v
	case FieldOrderDate:
		o.OrderDate = canonical.Date(v)
	case FieldRequestedShipDate:
		o.RequestedShipDate = canonical.Date(v)
	case FieldRequestedDeliveryDate:
		o.RequestedDeliveryDate = canonical.Date(v)
	case FieldCancelAfterDate:
		o.CancelAfterDate = canonical.Date(v)
	case FieldCurrency:
		o.Currency = v
	}
}

func setShipment(s *canonical.Shipment, f Field, v string) {
	switch f {
	case FieldShipmentID:
		s.ShipmentID = v
	case FieldOrderNumber:
		addUnique(&s.OrderNumbers, v)
	case FieldTrackingNumber:
		addUnique(&s.Carrier.TrackingNumbers, v)
	case FieldBOL:
		s.Carrier.BOL = v
	case FieldPRO:
		s.Carrier.PRO = v
	case FieldShipDate:
		s.ShipDate = canonical.Date(v)
	case FieldShipTime:
		s.ShipTime = canonical.Time(v)
	case FieldEstimatedDeliveryDate:
		s.EstimatedDeliveryDate = canonical.Date(v)
	}
}

func setReturn(r *canonical.Return, f Field, v string) {
	switch f {
	case FieldRMANumber:
		r.RMANumber = v
	case FieldOriginalOrder:
		r.OrderNumber = v
	case FieldReceivedDate:
		r.ReceivedDate = canonical.Date(v)
	}
}

func addUnique(list *[]string, v string) {
	if !slices.Contains(*list, v) {
		*list = append(*list, v)
	}
}

// setLine sets line field f of the last line to canonical value v.
func (b *builder) setLine(f Field, v string) {
	switch {
	case b.order != nil:
		l := &b.order.Lines[len(b.order.Lines)-1]
		if !setCommonLine(f, v, &l.LineNumber, &l.Item, &l.UOM, &l.Quantity) && f == FieldLineUnitPrice {
			l.UnitPrice = canonical.Decimal(v)
		}
	case b.ship != nil:
		l := &b.ship.Lines[len(b.ship.Lines)-1]
		if !setCommonLine(f, v, &l.LineNumber, &l.Item, &l.UOM, &l.QuantityShipped) {
			setShipmentLine(b.ship, l, f, v)
		}
	default:
		l := &b.ret.Lines[len(b.ret.Lines)-1]
		if !setCommonLine(f, v, &l.LineNumber, &l.Item, &l.UOM, &l.Quantity) {
			setReturnLine(l, f, v)
		}
	}
}

func setShipmentLine(s *canonical.Shipment, l *canonical.ShipmentLine, f Field, v string) {
	switch f {
	case FieldLineQuantityOrdered:
		l.QuantityOrdered = canonical.Decimal(v)
	case FieldLineOrderNumber:
		l.OrderNumber = v
		addUnique(&s.OrderNumbers, v)
	case FieldLineStatus:
		l.Status = v
	}
}

func setReturnLine(l *canonical.ReturnLine, f Field, v string) {
	switch f {
	case FieldLineReason:
		l.Reason = v
	case FieldLineCondition:
		l.Condition = v
	case FieldLineDisposition:
		l.Disposition = v
	}
}

// setCommonLine sets the line fields every document type has and reports
// whether f was one of them.
func setCommonLine(f Field, v string, number *string, it *canonical.Item, uom *string, qty *canonical.Decimal) bool {
	switch f {
	case FieldLineNumber:
		*number = v
	case FieldLineQuantity:
		*qty = canonical.Decimal(v)
	case FieldLineUOM:
		*uom = v
	case FieldLineSKU:
		it.SKU = v
	case FieldLineUPC:
		it.UPC = v
	case FieldLineGTIN:
		it.GTIN = v
	case FieldLineVendorItem:
		it.VendorItem = v
	case FieldLineBuyerItem:
		it.BuyerItem = v
	case FieldLineDescription:
		it.Description = v
	case FieldLineLot:
		it.Lot = v
	default:
		return false
	}
	return true
}
