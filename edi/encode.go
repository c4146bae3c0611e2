package edi

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnergate/partnergate/canonical"
)

// ErrEncode is wrapped by WriteDocument errors about the document: it fails
// Validate, lacks a value an X12 element requires, or holds more than the set
// can carry.
var ErrEncode = errors.New("edi: document cannot be written as X12")

// EncodeOpts adjusts WriteDocument. A nil *EncodeOpts means the defaults.
type EncodeOpts struct {
	// Release is the release the set is written for: "004010" (default) or
	// "005010". It decides segment choices only (MSG or MTX for 850 notes,
	// a bare N1 or a whole N1 loop in a 940 line); GS08 is the caller's.
	Release string
	// ControlNumber is ST02. Default "0001".
	ControlNumber string
	// Now gives the 856 document date and time (BSN03, BSN04). Default
	// time.Now.
	Now func() time.Time
}

// Releases WriteDocument can write.
const (
	Release4010 = "004010"
	Release5010 = "005010"
)

// WriteDocument writes doc as one transaction set, ST through SE, into the
// group the caller has opened on w:
//
//	*canonical.Order    kind purchase_order            → 850
//	*canonical.Order    kind warehouse_order           → 940
//	*canonical.Shipment kind ship_notice               → 856
//	*canonical.Shipment kind warehouse_shipping_advice → 945
//
// Other documents give an error wrapping ErrNoMap. The document is validated
// first; a document that fails Validate, or lacks what a mandatory element
// needs, gives an error wrapping ErrEncode that names the segment, its
// position and the canonical field. Reading the set back with ToCanonical
// gives doc again when doc is in the form ToCanonical produces (see the map
// functions for the few defaults and the fields a set cannot carry).
func WriteDocument(w *Writer, doc canonical.Document, opts *EncodeOpts) error {
	e := docEncoder{w: w, release: Release4010, control: "0001", now: time.Now}
	if opts != nil {
		e.release = or(opts.Release, Release4010)
		e.control = or(opts.ControlNumber, "0001")
		if opts.Now != nil {
			e.now = opts.Now
		}
	}
	if e.release != Release4010 && e.release != Release5010 {
		return fmt.Errorf("edi: EncodeOpts.Release %q: want %s or %s: %w", e.release, Release4010, Release5010, ErrEncode)
	}
	var body func()
	switch d := doc.(type) {
	case *canonical.Order:
		switch d.Kind {
		case canonical.KindPurchaseOrder:
			e.set, body = "850", func() { e.order850(d) }
		case canonical.KindWarehouseOrder:
			e.set, body = "940", func() { e.order940(d) }
		}
	case *canonical.Shipment:
		switch d.Kind {
		case canonical.KindShipNotice:
			e.set, body = "856", func() { e.shipment856(d) }
		case canonical.KindWarehouseShippingAdvice:
			e.set, body = "945", func() { e.shipment945(d) }
		}
	}
	if body == nil {
		return fmt.Errorf("edi: %T of kind %q: %w", doc, kindOf(doc), ErrNoMap)
	}
	if err := doc.Validate(); err != nil {
		return fmt.Errorf("edi: %s: %w: %w", e.set, ErrEncode, err)
	}
	if err := w.BeginSet(e.set, e.control, ""); err != nil {
		return err
	}
	body()
	if e.err != nil {
		return e.err
	}
	return w.EndSet()
}

// kindOf returns a document's kind for messages; doc may be nil.
func kindOf(doc canonical.Document) string {
	if doc == nil {
		return ""
	}
	return doc.Head().Kind
}

// docEncoder writes one set and keeps the first error.
type docEncoder struct {
	w       *Writer
	set     string
	release string
	control string
	now     func() time.Time
	err     error
}

// seg writes a segment unless an error occurred.
func (e *docEncoder) seg(tag string, elems ...string) {
	if e.err != nil {
		return
	}
	pos := e.w.segs + 1
	if err := e.w.Segment(tag, elems...); err != nil {
		e.err = fmt.Errorf("%s %s at position %d: %w: %w", e.set, tag, pos, ErrEncode, err)
	}
}

// fail records a problem with field for the segment about to be written.
func (e *docEncoder) fail(tag, field, msg string) {
	if e.err == nil {
		e.err = fmt.Errorf("%s %s at position %d: %s: %s: %w", e.set, tag, e.w.segs+1, field, msg, ErrEncode)
	}
}

// require reports a missing value for a mandatory element.
func (e *docEncoder) require(tag, elem, field, value string) {
	if value == "" {
		e.fail(tag, field, "required for "+elem)
	}
}

// x12Date writes YYYY-MM-DD as CCYYMMDD.
func x12Date(d canonical.Date) string { return strings.ReplaceAll(string(d), "-", "") }

// x12Time writes HH:MM[:SS] as HHMM[SS].
func x12Time(t canonical.Time) string { return strings.ReplaceAll(string(t), ":", "") }

// x12Implied writes a decimal as an Nn value: "43.00" with n = 2 is "4300".
// Digits beyond n places must be zeros; nothing is rounded.
func x12Implied(d canonical.Decimal, n int) (string, bool) {
	s := string(d)
	if s == "" {
		return "", true
	}
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if len(frac) > n {
		if strings.Trim(frac[n:], "0") != "" {
			return "", false
		}
		frac = frac[:n]
	}
	digits := strings.TrimLeft(intPart+frac+strings.Repeat("0", n-len(frac)), "0")
	if digits == "" {
		return "0", true
	}
	if neg {
		return "-" + digits, true
	}
	return digits, true
}

// itoaPositive formats n, or returns "" when n is not positive (not sent).
func itoaPositive(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// date writes a DTM (850) or G62 (940) date segment when d is set.
func (e *docEncoder) date(tag, qual string, d canonical.Date) {
	if d != "" {
		e.seg(tag, qual, x12Date(d))
	}
}

// parties writes N1 loops; with full unset only the N1 segments.
func (e *docEncoder) parties(ps []canonical.Party, full bool) {
	for i := range ps {
		p := &ps[i]
		e.seg("N1", roleToN101(p.Role), p.Name, p.IDQualifier, p.ID)
		if !full {
			continue
		}
		for k := 0; k < len(p.AdditionalNames); k += 2 {
			e.seg("N2", pairAt(p.AdditionalNames, k)...)
		}
		a := &p.Address
		for k := 0; k < len(a.Lines); k += 2 {
			e.seg("N3", pairAt(a.Lines, k)...)
		}
		if a.City != "" || a.State != "" || a.PostalCode != "" || a.Country != "" {
			e.seg("N4", a.City, a.State, a.PostalCode, a.Country)
		}
	}
}

// pairAt returns list[k] and list[k+1], if any.
func pairAt(list []string, k int) []string {
	if k+1 < len(list) {
		return list[k : k+2]
	}
	return list[k : k+1]
}

// refs writes references as REF or N9 segments.
func (e *docEncoder) refs(tag string, rs []canonical.Reference) {
	for i := range rs {
		e.seg(tag, rs[i].Qualifier, rs[i].Value, rs[i].Description)
	}
}

// td5 writes a carrier's routing as a TD5 (850 heading, 856 S level).
func (e *docEncoder) td5(c *canonical.Carrier) {
	if c.SCAC == "" && c.Mode == "" && c.Routing == "" && c.Service == "" {
		return
	}
	qual := ""
	if c.SCAC != "" {
		qual = "2"
	}
	e.seg("TD5", "", qual, c.SCAC, c.Mode, c.Routing, "", "", "", "", "", "", c.Service)
}

// productIDs lists the pairs that identify it: every entry of it.IDs, in
// order, then each named field whose value no entry of a matching qualifier
// carries, under its default qualifier. Fields in dedicated are written in
// elements of their own (W0103, W0113 …) and are not turned into pairs.
func productIDs(it *canonical.Item, dedicated ...int) []canonical.ProductID {
	pairs := make([]canonical.ProductID, 0, len(it.IDs)+2)
	for _, id := range it.IDs {
		if id.Qualifier != "" && id.Value != "" {
			pairs = append(pairs, id)
		}
	}
	for field := itemNone + 1; field < itemFields; field++ {
		v := *itemField(it, field)
		if v == "" || slices.Contains(dedicated, field) || carried(it.IDs, field, v) {
			continue
		}
		pairs = append(pairs, canonical.ProductID{Qualifier: defaultQualifier(field, v), Value: v})
	}
	return pairs
}

// carried reports whether ids holds v under a qualifier that fills field.
func carried(ids canonical.ProductIDs, field int, v string) bool {
	for _, id := range ids {
		if f, _ := productQualifier(id.Qualifier); f == field && id.Value == v {
			return true
		}
	}
	return false
}

// defaultQualifier is the qualifier a named item field is written under when
// IDs does not say: IN, VN, UP, UK (14 digits) or EN, UA, SK, LT.
func defaultQualifier(field int, v string) string {
	switch field {
	case itemBuyer:
		return "IN"
	case itemVendor:
		return "VN"
	case itemUPC:
		return "UP"
	case itemGTIN:
		if len(v) == 14 {
			return "UK"
		}
		return "EN"
	case itemCaseUPC:
		return "UA"
	case itemSKU:
		return "SK"
	}
	return "LT"
}

// placePairs puts pairs at the element positions given (1-based, qualifier
// positions; the value follows each), failing when there are more pairs
// than positions.
func (e *docEncoder) placePairs(tag, field string, elems []string, pairs []canonical.ProductID, at []int) {
	if len(pairs) > len(at) {
		e.fail(tag, field, fmt.Sprintf("%d product IDs, %s carries %d", len(pairs), tag, len(at)))
		return
	}
	for k, p := range pairs {
		elems[at[k]-1], elems[at[k]] = p.Qualifier, p.Value
	}
}

// lxNumber returns the LX01 of a line: its line number when that fits LX01
// (N0, 1–6 digits), else the running counter; needLI reports that the line
// number must then travel in an N9*LI.
func lxNumber(lineNumber string, counter int) (lx string, needLI bool) {
	if len(lineNumber) <= 6 && allDigits(lineNumber) {
		return lineNumber, false
	}
	return strconv.Itoa(counter), lineNumber != ""
}

// nte writes notes as NTE segments (940 and 945 headings).
func (e *docEncoder) nte(notes []string) {
	for _, n := range notes {
		e.seg("NTE", "WHI", n)
	}
}

// order850 writes an order as an 850. BEG03 is purchase_order_number, or
// order_number when that is empty; notes go in an N9*L1 loop as MSG (004010)
// or MTX (005010); CTT01 is the number of lines written.
func (e *docEncoder) order850(o *canonical.Order) {
	e.require("BEG", "BEG02", "order_type", o.OrderType)
	e.require("BEG", "BEG05", "order_date", string(o.OrderDate))
	e.seg("BEG", purposeToX12(o.Purpose), o.OrderType, or(o.PurchaseOrderNumber, o.OrderNumber), "", x12Date(o.OrderDate))
	if o.Currency != "" {
		e.seg("CUR", "BY", o.Currency)
	}
	e.refs("REF", o.References)
	if o.Carrier.PaymentMethod != "" {
		e.seg("FOB", o.Carrier.PaymentMethod)
	}
	if pt := &o.PaymentTerms; *pt != (canonical.PaymentTerms{}) {
		e.seg("ITD", pt.TypeCode, pt.BasisDateCode, string(pt.DiscountPercent), "", itoaPositive(pt.DiscountDays),
			"", itoaPositive(pt.NetDays), "", "", "", "", pt.Description)
	}
	for _, d := range [...]struct {
		qual string
		date canonical.Date
	}{
		{"002", o.RequestedDeliveryDate}, {"010", o.RequestedShipDate}, {"001", o.CancelAfterDate},
		{"037", o.ShipNotBeforeDate}, {"038", o.ShipNoLaterDate},
		{"064", o.DeliverNotBeforeDate}, {"063", o.DeliverNoLaterDate},
	} {
		e.date("DTM", d.qual, d.date)
	}
	e.td5(&o.Carrier)
	if len(o.Notes) > 0 {
		e.seg("N9", notesQualifier, "NOTES")
		for _, n := range o.Notes {
			if e.release == Release5010 {
				e.seg("MTX", "", n)
			} else {
				e.seg("MSG", n)
			}
		}
	}
	e.parties(o.Parties, true)
	for i := range o.Lines {
		e.po1(i, &o.Lines[i])
	}
	e.seg("CTT", strconv.Itoa(len(o.Lines)), string(o.TotalQuantity))
}

// po1Pairs are the qualifier positions of PO106/07 … PO124/25.
var po1Pairs = []int{6, 8, 10, 12, 14, 16, 18, 20, 22, 24}

func (e *docEncoder) po1(i int, l *canonical.OrderLine) {
	pairs := productIDs(&l.Item)
	elems := make([]string, 5+2*len(pairs))
	elems[0], elems[1], elems[2], elems[3], elems[4] = l.LineNumber, string(l.Quantity), l.UOM, string(l.UnitPrice), l.PriceBasis
	e.placePairs("PO1", fieldPath("lines", i, "item.ids"), elems, pairs, po1Pairs)
	e.seg("PO1", elems...)
	if l.Item.Description != "" {
		e.seg("PID", "F", "", "", "", l.Item.Description)
	}
	e.refs("REF", l.References)
	e.parties(l.Parties, true)
}

// order940 writes an order as a 940. Line numbers travel in LX01, or in an
// N9*LI of the W01 loop when they are not numbers of at most six digits.
// Line parties are bare N1 segments in 004010, whole N1 loops in 005010.
func (e *docEncoder) order940(o *canonical.Order) {
	e.seg("W05", purposeToW0501(o.Purpose), o.OrderNumber, o.PurchaseOrderNumber)
	e.parties(o.Parties, true)
	e.refs("N9", o.References)
	for _, d := range [...]struct {
		qual string
		date canonical.Date
	}{
		{"04", o.OrderDate}, {"10", o.RequestedShipDate}, {"02", o.RequestedDeliveryDate},
		{"37", o.ShipNotBeforeDate}, {"38", o.ShipNoLaterDate},
		{"53", o.DeliverNotBeforeDate}, {"54", o.DeliverNoLaterDate},
	} {
		e.date("G62", d.qual, d.date)
	}
	e.nte(o.Notes)
	e.w66(o)
	for i := range o.Lines {
		e.w01(i, &o.Lines[i])
	}
	if o.TotalQuantity != "" || o.TotalWeight != "" {
		e.require("W76", "W7601", "total_quantity", string(o.TotalQuantity))
		e.seg("W76", string(o.TotalQuantity), string(o.TotalWeight), o.WeightUOM)
	}
}

// w66 writes the carrier of a 940; W6601 and W6602 are mandatory.
func (e *docEncoder) w66(o *canonical.Order) {
	c := &o.Carrier
	if c.SCAC == "" && c.Mode == "" && c.Routing == "" && c.PaymentMethod == "" && o.CODAmount == "" {
		return
	}
	e.require("W66", "W6601", "carrier.payment_method", c.PaymentMethod)
	e.require("W66", "W6602", "carrier.mode", c.Mode)
	cod, ok := x12Implied(o.CODAmount, 2)
	if !ok {
		e.fail("W66", "cod_amount", "more than two decimal places for W6609")
	}
	e.seg("W66", c.PaymentMethod, c.Mode, "", "", c.Routing, "", "", "", cod, c.SCAC)
}

// w01Pairs are the qualifier positions W0104, W0106 and W0115.
var w01Pairs = []int{4, 6, 15}

func (e *docEncoder) w01(i int, l *canonical.OrderLine) {
	lx, needLI := lxNumber(l.LineNumber, i+1)
	e.seg("LX", lx)
	pairs := productIDs(&l.Item, itemCaseUPC, itemLot)
	elems := make([]string, 16)
	elems[0], elems[1], elems[2], elems[12] = string(l.Quantity), l.UOM, l.Item.CaseUPC, l.Item.Lot
	e.placePairs("W01", fieldPath("lines", i, "item.ids"), elems, pairs, w01Pairs)
	e.seg("W01", elems...)
	if l.Item.Description != "" {
		e.seg("G69", l.Item.Description)
	}
	if needLI {
		e.seg("N9", lineNumberQualifier, l.LineNumber)
	}
	e.refs("N9", l.References)
	e.parties(l.Parties, e.release == Release5010)
}

// shipment945 writes a shipment as a 945. W0602 and W0606 are the first and
// second order numbers (more is an error); W0601 defaults to F. Packages
// become LX loops with MAN GM/CP and their lines' W12 loops, each line
// numbered by an N9*LI; unpackaged lines follow, one LX each. G62*11 is
// written when ship_time is set, with time qualifier 8.
func (e *docEncoder) shipment945(sh *canonical.Shipment) {
	if len(sh.OrderNumbers) > 2 {
		e.fail("W06", "order_numbers", "a 945 carries at most two (W0602, W0606)")
	}
	e.seg("W06", or(sh.ReportingCode, "F"), listAt(sh.OrderNumbers, 0), x12Date(sh.ShipDate), sh.ShipmentID, "", listAt(sh.OrderNumbers, 1))
	e.parties(sh.Parties, true)
	c := &sh.Carrier
	if c.BOL != "" {
		e.seg("N9", "BM", c.BOL)
	}
	if c.PRO != "" {
		e.seg("N9", "CN", c.PRO)
	}
	for _, tn := range c.TrackingNumbers {
		e.seg("N9", "2I", tn)
	}
	e.refs("N9", sh.References)
	if sh.ShipTime != "" {
		e.seg("G62", "11", x12Date(sh.ShipDate), "8", x12Time(sh.ShipTime))
	}
	e.nte(sh.Notes)
	if c.Mode != "" || c.SCAC != "" || c.Routing != "" || c.PaymentMethod != "" {
		e.require("W27", "W2701", "carrier.mode", c.Mode)
		e.seg("W27", c.Mode, c.SCAC, c.Routing, c.PaymentMethod)
	}
	packed := packedLines(sh)
	lx := 0
	for p := range sh.Packages {
		pk := &sh.Packages[p]
		lx++
		e.seg("LX", strconv.Itoa(lx))
		if pk.SSCC != "" {
			e.seg("MAN", "GM", pk.SSCC)
		}
		if pk.TrackingNumber != "" {
			e.seg("MAN", "CP", pk.TrackingNumber)
		}
		for _, li := range pk.Lines {
			if packed[li] == p {
				e.w12(li, &sh.Lines[li], true)
			}
		}
	}
	for li := range sh.Lines {
		if packed[li] >= 0 {
			continue
		}
		lx++
		n, needLI := lxNumber(sh.Lines[li].LineNumber, lx)
		e.seg("LX", n)
		e.w12(li, &sh.Lines[li], needLI)
	}
	if sh.TotalQuantity != "" || sh.TotalWeight != "" || sh.PackageCount > 0 {
		e.require("W03", "W0301", "total_quantity", string(sh.TotalQuantity))
		count, unit := itoaPositive(sh.PackageCount), ""
		if count != "" {
			unit = "CT"
		}
		e.seg("W03", string(sh.TotalQuantity), string(sh.TotalWeight), sh.WeightUOM, "", "", count, unit)
	}
}

// w12Pairs are the qualifier positions W1207, W1217 and W1221.
var w12Pairs = []int{7, 17, 21}

func (e *docEncoder) w12(i int, l *canonical.ShipmentLine, writeLI bool) {
	e.require("W12", "W1201", fieldPath("lines", i, "status"), l.Status)
	pairs := productIDs(&l.Item, itemCaseUPC, itemLot)
	elems := make([]string, 22)
	elems[0], elems[1], elems[2], elems[4], elems[5], elems[8] =
		l.Status, string(l.QuantityOrdered), string(l.QuantityShipped), l.UOM, l.Item.CaseUPC, l.Item.Lot
	e.placePairs("W12", fieldPath("lines", i, "item.ids"), elems, pairs, w12Pairs)
	e.seg("W12", elems...)
	if l.Item.Description != "" {
		e.seg("G69", l.Item.Description)
	}
	if writeLI && l.LineNumber != "" {
		e.seg("N9", lineNumberQualifier, l.LineNumber)
	}
	e.refs("N9", l.References)
}

// packedLines returns, for each line, the first package listing it, or -1.
func packedLines(sh *canonical.Shipment) []int {
	packed := make([]int, len(sh.Lines))
	for i := range packed {
		packed[i] = -1
	}
	for p := range sh.Packages {
		for _, li := range sh.Packages[p].Lines {
			if packed[li] < 0 {
				packed[li] = p
			}
		}
	}
	return packed
}

// listAt returns list[i], or "" past its end.
func listAt(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}

// fieldPath names a canonical field of a list element, e.g. "lines[2].uom".
func fieldPath(list string, i int, field string) string {
	return list + "[" + strconv.Itoa(i) + "]." + field
}

// shipment856 writes a shipment as an 856. The HL tree is S → O (one per
// order number) → P or T (one per package) → I (one per line), BSN05 0001
// ("pick and pack"); lines in no package hang from their O, and packages and
// lines with no order number from the S. A package goes under the order of
// its first line. When every package holds at most one line and some line is
// in several packages, the tree is S → O → I → P instead, BSN05 0002
// ("standard pack"). Without packages it is S → O → I, BSN05 0004.
// BSN03/BSN04 are the time of writing; ship_date and ship_time travel in
// DTM*011. Notes are not written: the 856 has no free-text segment.
func (e *docEncoder) shipment856(sh *canonical.Shipment) {
	now := e.now()
	itemPacks := standardPack(sh)
	structure := "0004"
	switch {
	case itemPacks:
		structure = "0002"
	case len(sh.Packages) > 0:
		structure = "0001"
	}
	e.seg("BSN", purposeToX12(sh.Purpose), sh.ShipmentID, now.Format("20060102"), now.Format("1504"), structure)
	if sh.ShipDate != "" {
		e.seg("DTM", "011", x12Date(sh.ShipDate), x12Time(sh.ShipTime))
	}
	if sh.EstimatedDeliveryDate != "" {
		e.seg("DTM", "017", x12Date(sh.EstimatedDeliveryDate))
	}
	packed := packedLines(sh)
	plan := planHL(sh, packed, itemPacks)
	var byLine [][]int // standard pack: the packages of each line
	if itemPacks {
		byLine = make([][]int, len(sh.Lines))
		for p := range sh.Packages {
			for _, li := range sh.Packages[p].Lines {
				byLine[li] = append(byLine[li], p)
			}
		}
	}
	hl := hlWriter{e: e}
	top := hl.open("", "S", len(plan) > 0)
	e.shipmentLevel(sh)
	for gi := range plan {
		g := &plan[gi]
		parent := top
		if g.order != "" {
			parent = hl.open(top, "O", len(g.pkgs)+len(g.lines) > 0)
			e.seg("PRF", g.order)
		}
		for _, p := range g.pkgs {
			var lines []int
			if !itemPacks {
				lines = packLines(sh, packed, p)
			}
			id := hl.open(parent, packLevel(&sh.Packages[p]), len(lines) > 0)
			e.pack856(&sh.Packages[p])
			for _, li := range lines {
				hl.open(id, "I", false)
				e.item856(li, &sh.Lines[li])
			}
		}
		for _, li := range g.lines {
			var packs []int
			if itemPacks {
				packs = byLine[li]
			}
			id := hl.open(parent, "I", len(packs) > 0)
			e.item856(li, &sh.Lines[li])
			for _, p := range packs {
				hl.open(id, packLevel(&sh.Packages[p]), false)
				e.pack856(&sh.Packages[p])
			}
		}
	}
	e.seg("CTT", strconv.Itoa(hl.n), string(sh.TotalQuantity))
}

// standardPack reports whether the packages are best written below the items
// (BSN05 0002): no package holds more than one line and some line is in more
// than one package.
func standardPack(sh *canonical.Shipment) bool {
	seen := make([]bool, len(sh.Lines))
	shared := false
	for p := range sh.Packages {
		ls := sh.Packages[p].Lines
		if len(ls) > 1 {
			return false
		}
		for _, li := range ls {
			shared = shared || seen[li]
			seen[li] = true
		}
	}
	return shared
}

// shipmentLevel writes the S level's content.
func (e *docEncoder) shipmentLevel(sh *canonical.Shipment) {
	if sh.PackageCount > 0 || sh.TotalWeight != "" {
		wq := ""
		if sh.TotalWeight != "" {
			wq = "G"
		}
		e.seg("TD1", "", itoaPositive(sh.PackageCount), "", "", "", wq, string(sh.TotalWeight), sh.WeightUOM)
	}
	c := &sh.Carrier
	e.td5(c)
	if c.BOL != "" {
		e.seg("REF", "BM", c.BOL)
	}
	if c.PRO != "" {
		e.seg("REF", "CN", c.PRO)
	}
	for _, tn := range c.TrackingNumbers {
		e.seg("REF", "2I", tn)
	}
	e.refs("REF", sh.References)
	if c.PaymentMethod != "" {
		e.seg("FOB", c.PaymentMethod)
	}
	e.parties(sh.Parties, true)
}

// pack856 writes a T or P level's content.
func (e *docEncoder) pack856(pk *canonical.Package) {
	if pk.Weight != "" {
		e.seg("TD1", "", "", "", "", "", "G", string(pk.Weight), pk.WeightUOM)
	}
	if pk.SSCC != "" {
		e.seg("MAN", "GM", pk.SSCC)
	}
	if pk.TrackingNumber != "" {
		e.seg("MAN", "CP", pk.TrackingNumber)
	}
}

// packLevel is the HL03 of a package: T for a pallet, P for a carton.
func packLevel(p *canonical.Package) string {
	if p.Pallet {
		return "T"
	}
	return "P"
}

// linPairs are the qualifier positions LIN02, LIN04 … LIN30.
var linPairs = []int{2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30}

func (e *docEncoder) item856(i int, l *canonical.ShipmentLine) {
	pairs := productIDs(&l.Item)
	if len(pairs) == 0 {
		e.fail("LIN", fieldPath("lines", i, "item"), "no product ID for LIN02/LIN03")
	}
	elems := make([]string, 1+2*len(pairs))
	elems[0] = l.LineNumber
	e.placePairs("LIN", fieldPath("lines", i, "item.ids"), elems, pairs, linPairs)
	e.seg("LIN", elems...)
	e.require("SN1", "SN103", fieldPath("lines", i, "uom"), l.UOM)
	orderedUOM := ""
	if l.QuantityOrdered != "" {
		orderedUOM = l.UOM
	}
	e.seg("SN1", "", string(l.QuantityShipped), l.UOM, "", string(l.QuantityOrdered), orderedUOM, "", l.Status)
	if l.Item.Description != "" {
		e.seg("PID", "F", "", "", "", l.Item.Description)
	}
	e.refs("REF", l.References)
}

// hlGroup is what one O level (or the S level itself, order "") holds:
// the packages written directly below it and the lines written directly
// below it, by index.
type hlGroup struct {
	order string
	pkgs  []int
	lines []int
}

// packLines returns the lines written under package p: those it lists and
// is the first package to list.
func packLines(sh *canonical.Shipment, packed []int, p int) []int {
	var out []int
	for _, li := range sh.Packages[p].Lines {
		if packed[li] == p {
			out = append(out, li)
		}
	}
	return out
}

// planHL groups packages and lines by order: first the group without an
// order (under S, left out when empty), then one group per order number in
// order_numbers order, then orders named only by lines. With itemPacks every
// line sits directly below its order and only packages without lines do;
// otherwise packages sit below the order of their first line (or the first
// order), and only lines in no package sit directly below their order.
func planHL(sh *canonical.Shipment, packed []int, itemPacks bool) []hlGroup {
	groups := []hlGroup{{}}
	byOrder := map[string]int{"": 0}
	group := func(order string) *hlGroup {
		gi, ok := byOrder[order]
		if !ok {
			gi = len(groups)
			byOrder[order] = gi
			groups = append(groups, hlGroup{order: order})
		}
		return &groups[gi]
	}
	for _, n := range sh.OrderNumbers {
		group(n)
	}
	for p := range sh.Packages {
		ls := sh.Packages[p].Lines
		order := ""
		switch {
		case len(ls) > 0 && itemPacks:
			continue
		case len(ls) > 0:
			order = sh.Lines[ls[0]].OrderNumber
		case len(sh.OrderNumbers) > 0:
			order = sh.OrderNumbers[0]
		}
		g := group(order)
		g.pkgs = append(g.pkgs, p)
	}
	for li := range sh.Lines {
		if itemPacks || packed[li] < 0 {
			g := group(sh.Lines[li].OrderNumber)
			g.lines = append(g.lines, li)
		}
	}
	if len(groups[0].pkgs)+len(groups[0].lines) == 0 {
		groups = groups[1:]
	}
	return groups
}

// hlWriter numbers HL segments 1, 2, 3 … .
type hlWriter struct {
	e *docEncoder
	n int
}

// open writes an HL under parent ("" for the top) and returns its ID.
func (h *hlWriter) open(parent, level string, children bool) string {
	h.n++
	id := strconv.Itoa(h.n)
	child := "0"
	if children {
		child = "1"
	}
	h.e.seg("HL", id, parent, level, child)
	return id
}
