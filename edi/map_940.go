package edi

import "github.com/partnergate/partnergate/canonical"

// map940 translates a 940 Warehouse Shipping Order into an order of kind
// warehouse_order.
//
//	W0501 purpose (N original, C cancel, R replace; others kept raw),
//	W0502 order_number (the depositor order number), W0503
//	purchase_order_number · N1 loops parties · N9 references · G62 dates
//	(04 order, 10 requested ship, 02 requested delivery, 37/38 ship not
//	before/no later, 53/54 deliver not before/no later) · NTE notes · W66
//	carrier (W6601 payment_method, W6602 mode, W6605 routing, W6610 scac)
//	and W6609 cod_amount (N2) · LX/W01 lines · W76 totals.
//
// A line is one W01: W0101 quantity, W0102 uom, W0103 item.case_upc, pairs
// W0104/05, W0106/07, W0115/16, W0113 item.lot, G6901 description; its
// line_number is the LX01 of its LX, overridden by an N9*LI in the W01 loop;
// other N9 of the W01 loop are line references and its N1 loop the line's
// parties.
//
// W0501 R is read as "replace": a 940 with R supersedes the order it names,
// it does not describe a delta. Writing a 940, "change" is sent as R too.
func (tr *Translator) map940(t *Transaction) error {
	body := t.Body()
	c := tr.census(body, "W01", 4, 3)
	m := &tr.m
	m.init("940", body, c)
	o := tr.newOrder(c)
	canonHeader(&o.Header, t, canonical.TypeOrder, canonical.KindWarehouseOrder)
	var (
		line    *canonical.OrderLine
		lx      string // LX01 of the open LX loop
		parties partyCursor
		sawW05  bool
	)
	for i := range body {
		s := &body[i]
		switch string(s.Tag()) {
		case "N2":
			m.at(s)
			parties.n2(m)
		case "N3":
			m.at(s)
			parties.n3(m)
		case "N4":
			m.at(s)
			parties.n4(m)
		case "W05":
			m.at(s)
			sawW05 = true
			o.Purpose = purposeFromW0501(m.str(1))
			o.OrderNumber = m.str(2)
			o.PurchaseOrderNumber = m.str(3)
		case "N1":
			m.at(s)
			if line != nil {
				parties.n1(m, &line.Parties)
			} else {
				parties.n1(m, &o.Parties)
			}
		case "N9":
			m.at(s)
			switch {
			case line == nil:
				m.ref(&o.References)
			case m.str(1) == lineNumberQualifier:
				line.LineNumber = m.str(2)
			default:
				m.ref(&line.References)
			}
		case "G62":
			m.at(s)
			if line == nil {
				m.g62Order(o)
			}
		case "NTE":
			m.at(s)
			m.note(&o.Notes)
		case "W66":
			m.at(s)
			o.Carrier.PaymentMethod = m.str(1)
			o.Carrier.Mode = m.str(2)
			o.Carrier.Routing = m.str(5)
			o.CODAmount = m.implied(9, 2)
			o.Carrier.SCAC = m.str(10)
		case "LX":
			m.at(s)
			lx = m.str(1)
			line = nil
			parties.reset()
		case "W01":
			m.at(s)
			line = grow(&o.Lines)
			line.LineNumber = lx
			parties.reset()
			m.w01(line)
		case "G69":
			m.at(s)
			if line != nil && line.Item.Description == "" {
				line.Item.Description = m.str(1)
			}
		case "W76":
			m.at(s)
			o.TotalQuantity = m.decimal(1)
			o.TotalWeight = m.decimal(2)
			o.WeightUOM = m.str(3)
		}
	}
	if !sawW05 {
		m.missing("W05")
	}
	return m.finish()
}

// lineNumberQualifier is the N901 code "line item identifier", which carries
// a line number inside a W01 or W12 loop.
const lineNumberQualifier = "LI"

// purposeFromW0501 maps a 940 order status code to a purpose; unknown codes
// are kept as sent.
func purposeFromW0501(code string) string {
	switch code {
	case "N":
		return canonical.PurposeOriginal
	case "C":
		return canonical.PurposeCancel
	case "R":
		return canonical.PurposeReplace
	}
	return code
}

// purposeToW0501 is the inverse of purposeFromW0501; change is sent as R.
func purposeToW0501(p string) string {
	switch p {
	case "", canonical.PurposeOriginal:
		return "N"
	case canonical.PurposeCancel:
		return "C"
	case canonical.PurposeReplace, canonical.PurposeChange:
		return "R"
	}
	return p
}

// w01 maps one W01 line item.
func (m *canonMapper) w01(l *canonical.OrderLine) {
	l.Quantity = m.decimal(1)
	l.UOM = m.str(2)
	ib := newItemBuilder(&l.Item)
	ib.set(m, itemCaseUPC, 3)
	ib.pairs(m, 4, 2)
	ib.pairs(m, 15, 1)
	ib.set(m, itemLot, 13)
}

// g62Order maps the G62 date qualifiers of a 940 heading.
func (m *canonMapper) g62Order(o *canonical.Order) {
	var dst *canonical.Date
	switch m.str(1) {
	case "04":
		dst = &o.OrderDate
	case "10":
		dst = &o.RequestedShipDate
	case "02":
		dst = &o.RequestedDeliveryDate
	case "37":
		dst = &o.ShipNotBeforeDate
	case "38":
		dst = &o.ShipNoLaterDate
	case "53":
		dst = &o.DeliverNotBeforeDate
	case "54":
		dst = &o.DeliverNoLaterDate
	default:
		return
	}
	if *dst == "" {
		*dst = m.date(2)
	}
}
