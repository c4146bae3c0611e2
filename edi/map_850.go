package edi

import "github.com/partnergate/partnergate/canonical"

// map850 translates an 850 Purchase Order into an order of kind
// purchase_order.
//
//	BEG01 purpose, BEG02 order_type, BEG03 order_number and
//	purchase_order_number, BEG05 order_date · CUR02 currency · REF and N9
//	(except N9*L1, which only introduces notes) references · DTM dates ·
//	TD5 carrier (TD503 scac, TD504 mode, TD505 routing, TD512 service) ·
//	FOB01 carrier.payment_method · ITD payment_terms · N1 loop parties ·
//	MSG, MTX and NTE notes · PO1 lines (PO101–PO105, PO106/07 … PO124/25
//	product IDs) with PID05 description, REF references and N1-loop parties ·
//	CTT01 line_count, CTT02 total_quantity.
//
// Heading segments after the first PO1 (line-level DTM, TD5, CUR …) are not
// mapped.
func (tr *Translator) map850(t *Transaction) error {
	body := t.Body()
	c := tr.census(body, "PO1", 6, 10)
	m := &tr.m
	m.init("850", body, c)
	o := tr.newOrder(c)
	canonHeader(&o.Header, t, canonical.TypeOrder, canonical.KindPurchaseOrder)
	var (
		line    *canonical.OrderLine
		parties partyCursor
		sawBEG  bool
		sawITD  bool
	)
	for i := range body {
		s := &body[i]
		switch string(s.Tag()) {
		case "PO1":
			if !m.atSplit(s) {
				m.at(s)
			}
			line = grow(&o.Lines)
			parties.reset()
			m.po1(line)
		case "PID":
			if !m.atSplit(s) {
				m.at(s)
			}
			if line != nil && line.Item.Description == "" {
				line.Item.Description = m.str(5)
			}
		case "N1":
			if !m.atSplit(s) {
				m.at(s)
			}
			if line != nil {
				parties.n1(m, &line.Parties)
			} else {
				parties.n1(m, &o.Parties)
			}
		case "N2":
			if !m.atSplit(s) {
				m.at(s)
			}
			parties.n2(m)
		case "N3":
			if !m.atSplit(s) {
				m.at(s)
			}
			parties.n3(m)
		case "N4":
			if !m.atSplit(s) {
				m.at(s)
			}
			parties.n4(m)
		case "REF":
			if !m.atSplit(s) {
				m.at(s)
			}
			if line != nil {
				m.ref(&line.References)
			} else {
				m.ref(&o.References)
			}
		case "BEG":
			if !m.atSplit(s) {
				m.at(s)
			}
			sawBEG = true
			o.Purpose = purposeFromX12(m.str(1))
			o.OrderType = m.str(2)
			o.OrderNumber = m.str(3)
			o.PurchaseOrderNumber = o.OrderNumber
			o.OrderDate = m.date(5)
		case "MSG", "MTX", "NTE":
			if !m.atSplit(s) {
				m.at(s)
			}
			m.note(&o.Notes)
		case "CTT":
			if !m.atSplit(s) {
				m.at(s)
			}
			o.LineCount = m.integer(1)
			o.TotalQuantity = m.decimal(2)
		case "CUR":
			if !m.atSplit(s) {
				m.at(s)
			}
			if line == nil {
				o.Currency = m.str(2)
			}
		case "N9":
			if !m.atSplit(s) {
				m.at(s)
			}
			if line == nil && m.str(1) != notesQualifier {
				m.ref(&o.References)
			}
		case "DTM":
			if !m.atSplit(s) {
				m.at(s)
			}
			if line == nil {
				m.dtm850(o)
			}
		case "TD5":
			if !m.atSplit(s) {
				m.at(s)
			}
			if line == nil {
				m.td5(&o.Carrier)
			}
		case "FOB":
			if !m.atSplit(s) {
				m.at(s)
			}
			if line == nil && o.Carrier.PaymentMethod == "" {
				o.Carrier.PaymentMethod = m.str(1)
			}
		case "ITD":
			if !m.atSplit(s) {
				m.at(s)
			}
			if line == nil && !sawITD {
				sawITD = true
				m.itd(&o.PaymentTerms)
			}
		}
	}
	if !sawBEG {
		m.missing("BEG")
	}
	return m.finish()
}

// notesQualifier is the N901 (and REF01) code "letters or notes": an N9 with
// it introduces MSG/MTX free text rather than carrying a reference.
const notesQualifier = "L1"

// po1 maps PO101–PO105 and the ten product ID pairs.
func (m *canonMapper) po1(l *canonical.OrderLine) {
	l.LineNumber = m.str(1)
	l.Quantity = m.decimal(2)
	l.UOM = m.str(3)
	l.UnitPrice = m.decimal(4)
	l.PriceBasis = m.str(5)
	ib := newItemBuilder(&l.Item)
	ib.pairs(m, 6, 10)
}

// dtm850 maps the DTM qualifiers an order carries.
func (m *canonMapper) dtm850(o *canonical.Order) {
	var dst *canonical.Date
	switch m.str(1) {
	case "002":
		dst = &o.RequestedDeliveryDate
	case "010":
		dst = &o.RequestedShipDate
	case "001":
		dst = &o.CancelAfterDate
	case "037":
		dst = &o.ShipNotBeforeDate
	case "038":
		dst = &o.ShipNoLaterDate
	case "064":
		dst = &o.DeliverNotBeforeDate
	case "063":
		dst = &o.DeliverNoLaterDate
	default:
		return
	}
	if *dst == "" {
		*dst = m.date(2)
	}
}

// td5 fills the carrier fields still empty from a TD5. TD503 is taken as
// the SCAC whatever its qualifier TD502 says.
func (m *canonMapper) td5(c *canonical.Carrier) {
	m.fillEmpty(&c.SCAC, 3)
	m.fillEmpty(&c.Mode, 4)
	m.fillEmpty(&c.Routing, 5)
	m.fillEmpty(&c.Service, 12)
}

// itd maps ITD01, 02, 03, 05, 07 and 12.
func (m *canonMapper) itd(p *canonical.PaymentTerms) {
	p.TypeCode = m.str(1)
	p.BasisDateCode = m.str(2)
	p.DiscountPercent = m.decimal(3)
	p.DiscountDays = m.integer(5)
	p.NetDays = m.integer(7)
	p.Description = m.str(12)
}
