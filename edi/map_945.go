package edi

import "github.com/partnergate/partnergate/canonical"

// map945 translates a 945 Warehouse Shipping Advice into a shipment of kind
// warehouse_shipping_advice.
//
//	W0601 reporting_code (as sent), W0602 and W0606 order_numbers, W0603
//	ship_date, W0604 shipment_id · N1 loops parties · N9 references (BM
//	carrier.bol, CN carrier.pro, 2I carrier.tracking_numbers) · G62*11
//	ship_date when W0603 is empty, and ship_time · NTE notes · W27 carrier
//	(W2701 mode, W2702 scac, W2703 routing, W2704 payment_method) · LX
//	loops · W03 totals (W0301 total_quantity, W0302/03 total_weight and
//	weight_uom, W0306 package_count).
//
// An LX carrying a MAN GM (SSCC) or MAN CP (tracking number) is a package,
// and its W12 lines are listed in that package; an N9*2I after its MAN is
// the package's tracking number when MAN CP gave none. A line is one W12: W1201
// status, W1202 quantity_ordered, W1203 quantity_shipped, W1205 uom, W1206
// or W1216 item.case_upc, pairs W1207/08, W1217/18, W1221/22, W1209
// item.lot, G6901 description. Its line_number is an N9*LI of the W12 loop,
// or else the LX01 of an LX that is not a package. Other N9 of the W12 loop
// are line references.
func (tr *Translator) map945(t *Transaction) error {
	body := t.Body()
	c := tr.census(body, "W12", 7, 3)
	m := &tr.m
	m.init("945", body, c)
	sh := tr.newShipment(c)
	canonHeader(&sh.Header, t, canonical.TypeShipment, canonical.KindWarehouseShippingAdvice)
	var (
		line    *canonical.ShipmentLine
		lx      string
		inLX    bool
		pkg     = -1 // package of the open LX loop
		parties partyCursor
		sawW06  bool
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
		case "W06":
			m.at(s)
			sawW06 = true
			m.w06(sh)
		case "N1":
			m.at(s)
			parties.n1(m, &sh.Parties)
		case "N9":
			m.at(s)
			switch {
			case line == nil && pkg >= 0 && m.str(1) == "2I" && sh.Packages[pkg].TrackingNumber == "":
				sh.Packages[pkg].TrackingNumber = m.str(2)
			case line == nil:
				m.shipmentRef(sh)
			case m.str(1) == lineNumberQualifier:
				line.LineNumber = m.str(2)
			default:
				m.ref(&line.References)
			}
		case "G62":
			m.at(s)
			if line == nil && m.str(1) == "11" {
				if sh.ShipDate == "" {
					sh.ShipDate = m.date(2)
				}
				sh.ShipTime = m.time(4)
			}
		case "NTE":
			m.at(s)
			m.note(&sh.Notes)
		case "W27":
			m.at(s)
			c := &sh.Carrier
			c.Mode = m.str(1)
			c.SCAC = m.str(2)
			c.Routing = m.str(3)
			c.PaymentMethod = m.str(4)
		case "LX":
			m.at(s)
			lx, inLX, pkg, line = m.str(1), true, -1, nil
			parties.reset()
		case "MAN":
			m.at(s)
			if line == nil && inLX {
				pkg = m.manPackage(sh, pkg)
			}
		case "W12":
			m.at(s)
			line = grow(&sh.Lines)
			if pkg >= 0 {
				p := &sh.Packages[pkg]
				p.Lines = append(p.Lines, len(sh.Lines)-1)
			} else {
				line.LineNumber = lx
			}
			m.w12(line)
		case "G69":
			m.at(s)
			if line != nil && line.Item.Description == "" {
				line.Item.Description = m.str(1)
			}
		case "W03":
			m.at(s)
			sh.TotalQuantity = m.decimal(1)
			sh.TotalWeight = m.decimal(2)
			sh.WeightUOM = m.str(3)
			sh.PackageCount = m.integer(6)
		}
	}
	if !sawW06 {
		m.missing("W06")
	}
	return m.finish()
}

// w06 maps the 945 beginning segment.
func (m *canonMapper) w06(sh *canonical.Shipment) {
	sh.ReportingCode = m.str(1)
	sh.ShipDate = m.date(3)
	sh.ShipmentID = m.str(4)
	orders := orderNumberSet{list: &sh.OrderNumbers}
	orders.add(m.str(2))
	orders.add(m.str(6))
}

// w12 maps one W12 line item.
func (m *canonMapper) w12(l *canonical.ShipmentLine) {
	l.Status = m.str(1)
	l.QuantityOrdered = m.decimal(2)
	l.QuantityShipped = m.decimal(3)
	l.UOM = m.str(5)
	ib := newItemBuilder(&l.Item)
	ib.set(m, itemCaseUPC, 6)
	ib.set(m, itemCaseUPC, 16)
	ib.pairs(m, 7, 1)
	ib.pairs(m, 17, 1)
	ib.pairs(m, 21, 1)
	ib.set(m, itemLot, 9)
}

// manPackage applies a MAN GM (SSCC) or MAN CP (tracking number) to the
// package pkg, creating it when pkg is -1, and returns the package index.
// Other MAN qualifiers are ignored.
func (m *canonMapper) manPackage(sh *canonical.Shipment, pkg int) int {
	q := m.str(1)
	if q != "GM" && q != "CP" {
		return pkg
	}
	if pkg < 0 {
		sh.Packages = append(sh.Packages, canonical.Package{})
		pkg = len(sh.Packages) - 1
	}
	p := &sh.Packages[pkg]
	if q == "GM" {
		m.fillEmpty(&p.SSCC, 2)
	} else {
		m.fillEmpty(&p.TrackingNumber, 2)
	}
	return pkg
}

// shipmentRef files a shipment-level REF or N9: BM is the bill of lading,
// CN the PRO number, 2I a tracking number; anything else, or a second BM or
// CN, is a reference.
func (m *canonMapper) shipmentRef(sh *canonical.Shipment) {
	c := &sh.Carrier
	switch m.str(1) {
	case "BM":
		if c.BOL == "" {
			c.BOL = m.str(2)
			return
		}
	case "CN":
		if c.PRO == "" {
			c.PRO = m.str(2)
			return
		}
	case "2I":
		if v := m.str(2); v != "" {
			c.TrackingNumbers = append(c.TrackingNumbers, v)
			return
		}
	}
	m.ref(&sh.References)
}

// orderNumberSet lists order numbers once each, in first-seen order. Small
// lists are searched; an index takes over when a shipment names many orders.
type orderNumberSet struct {
	list  *[]string
	index map[string]string
}

const orderNumberScan = 32

// add records the order number n unless it is empty, and returns the
// string the list holds for it.
func (o *orderNumberSet) add(n string) string {
	if n == "" {
		return ""
	}
	if o.index != nil {
		if x, ok := o.index[n]; ok {
			return x
		}
	} else {
		for _, x := range *o.list {
			if x == n {
				return x
			}
		}
	}
	*o.list = append(*o.list, n)
	switch {
	case o.index != nil:
		o.index[n] = n
	case len(*o.list) > orderNumberScan:
		o.index = make(map[string]string, 2*orderNumberScan)
		for _, x := range *o.list {
			o.index[x] = x
		}
	}
	return n
}
