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
func map850(t *Transaction) (canonical.Document, error) {
	body := t.Body()
	nLines := countTags(body, "PO1")
	m := newCanonMapper("850", body, 3*nLines)
	o := &canonical.Order{Header: canonHeader(t, canonical.TypeOrder, canonical.KindPurchaseOrder)}
	o.Lines = make([]canonical.OrderLine, 0, nLines)
	var (
		line    *canonical.OrderLine
		parties partyCursor
		sawBEG  bool
		sawITD  bool
	)
	for i := range body {
		s := &body[i]
		m.at(s)
		switch string(s.Tag()) {
		case "N2", "N3", "N4":
			parties.detail(&m, s)
		case "BEG":
			sawBEG = true
			o.Purpose = purposeFromX12(m.str(s, 1))
			o.OrderType = m.str(s, 2)
			o.OrderNumber = m.str(s, 3)
			o.PurchaseOrderNumber = o.OrderNumber
			o.OrderDate = m.date(s, 5)
		case "PO1":
			line = grow(&o.Lines)
			parties.reset()
			m.po1(line, s)
		case "PID":
			if line != nil && line.Item.Description == "" {
				line.Item.Description = m.str(s, 5)
			}
		case "REF":
			if line != nil {
				line.References = append(line.References, m.ref(s))
			} else {
				o.References = append(o.References, m.ref(s))
			}
		case "N1":
			if line != nil {
				parties.n1(&m, &line.Parties, s)
			} else {
				parties.n1(&m, &o.Parties, s)
			}
		case "MSG", "MTX", "NTE":
			if n := m.note(s); n != "" {
				o.Notes = append(o.Notes, n)
			}
		case "CTT":
			o.LineCount = m.integer(s, 1)
			o.TotalQuantity = m.decimal(s, 2)
		case "CUR":
			if line == nil {
				o.Currency = m.str(s, 2)
			}
		case "N9":
			if line == nil && string(trimmedElem(s, 1)) != notesQualifier {
				o.References = append(o.References, m.ref(s))
			}
		case "DTM":
			if line == nil {
				m.dtm850(o, s)
			}
		case "TD5":
			if line == nil {
				m.td5(&o.Carrier, s)
			}
		case "FOB":
			if line == nil && o.Carrier.PaymentMethod == "" {
				o.Carrier.PaymentMethod = m.str(s, 1)
			}
		case "ITD":
			if line == nil && !sawITD {
				sawITD = true
				m.itd(&o.PaymentTerms, s)
			}
		}
	}
	if !sawBEG {
		m.missing("BEG")
	}
	if m.err != nil {
		return nil, m.err
	}
	return o, nil
}

// notesQualifier is the N901 (and REF01) code "letters or notes": an N9 with
// it introduces MSG/MTX free text rather than carrying a reference.
const notesQualifier = "L1"

// po1 maps PO101–PO105 and the ten product ID pairs.
func (m *canonMapper) po1(l *canonical.OrderLine, s *Segment) {
	l.LineNumber = m.str(s, 1)
	l.Quantity = m.decimal(s, 2)
	l.UOM = m.str(s, 3)
	l.UnitPrice = m.decimal(s, 4)
	l.PriceBasis = m.str(s, 5)
	ib := m.itemBuilder(&l.Item)
	ib.pairs(s, 6, 10)
	ib.done()
}

// dtm850 maps the DTM qualifiers an order carries.
func (m *canonMapper) dtm850(o *canonical.Order, s *Segment) {
	var dst *canonical.Date
	switch string(trimmedElem(s, 1)) {
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
		*dst = m.date(s, 2)
	}
}

// td5 fills the carrier fields still empty from a TD5. TD503 is taken as
// the SCAC whatever its qualifier TD502 says.
func (m *canonMapper) td5(c *canonical.Carrier, s *Segment) {
	m.fillEmpty(&c.SCAC, s, 3)
	m.fillEmpty(&c.Mode, s, 4)
	m.fillEmpty(&c.Routing, s, 5)
	m.fillEmpty(&c.Service, s, 12)
}

// itd maps ITD01, 02, 03, 05, 07 and 12.
func (m *canonMapper) itd(p *canonical.PaymentTerms, s *Segment) {
	p.TypeCode = m.str(s, 1)
	p.BasisDateCode = m.str(s, 2)
	p.DiscountPercent = m.decimal(s, 3)
	p.DiscountDays = m.integer(s, 5)
	p.NetDays = m.integer(s, 7)
	p.Description = m.str(s, 12)
}
