package partners

import (
	"cmp"
	"context"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/partnergate/partnergate/canonical"
)

// orderKinds maps a shipment's kind to the kind of the order it ships.
var orderKinds = map[string]string{
	canonical.KindShipNotice:              canonical.KindPurchaseOrder,
	canonical.KindWarehouseShippingAdvice: canonical.KindWarehouseOrder,
}

// shipped is what a shipment ships of one order line.
type shipped struct {
	number string // the order number the lines belong to
	order  *canonical.Order
	line   int   // index in order.Lines
	from   []int // indexes of the shipment lines, in document order
	total  *big.Rat
	scale  int
}

// prior is what the other shipments against an order shipped of one of its
// lines.
type prior struct {
	total *big.Rat
	scale int
	ids   []string // the shipments, in the order the finder gave them
}

// overShipment compares the quantities a shipment ships, added to those the
// other shipments against the same orders shipped, with those of the
// orders it names. Each shipment line belongs to its own order number, or
// to the shipment's only one; it is matched to the order line with the same
// line number or, failing that, the first sharing an item identifier.
// Shipment lines in another unit than the order line are not counted. A
// line whose order is not stored, or that matches no order line, is
// compared with the quantity ordered the shipment itself states (SN103,
// W1202), when it states one. A cancellation ships nothing and passes.
func (e *evaluation) overShipment(ctx context.Context) error {
	s, ok := e.doc.(*canonical.Shipment)
	if !ok {
		return nil
	}
	kind, ok := orderKinds[s.Kind]
	if !ok || canonical.PurposeOf(s) == canonical.PurposeCancel {
		return nil
	}
	switch {
	case e.env.Related == nil:
		return needEnv(e.p.Check, "Related")
	case e.env.Shipments == nil:
		return needEnv(e.p.Check, "Shipments")
	case e.env.PartnerID == "":
		return needEnv(e.p.Check, "PartnerID")
	}
	orders := map[string]*canonical.Order{}
	var sums []*shipped
	type miss struct {
		line int
		why  string
	}
	var unmatched []miss
	for i := range s.Lines {
		l := &s.Lines[i]
		qty, ok := ratOf(l.QuantityShipped)
		if !ok {
			continue
		}
		number := lineOrder(s, l)
		o, err := e.order(ctx, orders, kind, number)
		if err != nil {
			return err
		}
		j := matchOrderLine(o, l)
		switch {
		case number == "":
			unmatched = append(unmatched, miss{i, "the line names no order"})
			continue
		case o == nil:
			unmatched = append(unmatched, miss{i, "order " + number + " is not on file"})
			continue
		case j < 0:
			unmatched = append(unmatched, miss{i, "no line of order " + number + " matches it"})
			continue
		}
		if !sameUnit(l, &o.Lines[j]) {
			continue
		}
		k := slices.IndexFunc(sums, func(x *shipped) bool { return x.order == o && x.line == j })
		if k < 0 {
			sums = append(sums, &shipped{number: number, order: o, line: j, total: new(big.Rat)})
			k = len(sums) - 1
		}
		sums[k].from = append(sums[k].from, i)
		sums[k].total.Add(sums[k].total, qty)
		sums[k].scale = max(sums[k].scale, scaleOf(l.QuantityShipped))
	}
	priors := map[string]map[int]*prior{}
	for _, sum := range sums {
		if _, seen := priors[sum.number]; seen {
			continue
		}
		p, err := e.earlier(ctx, s, sum.number, sum.order)
		if err != nil {
			return err
		}
		priors[sum.number] = p
	}
	type found struct {
		at int // first shipment line, for document order
		v  func()
	}
	var all []found
	for _, sum := range sums {
		all = append(all, found{sum.from[0], func() { e.overOrder(s, sum, priors[sum.number][sum.line]) }})
	}
	for _, m := range unmatched {
		all = append(all, found{m.line, func() { e.overStated(s, m.line, m.why) }})
	}
	slices.SortStableFunc(all, func(a, b found) int { return cmp.Compare(a.at, b.at) })
	for _, f := range all {
		f.v()
	}
	return nil
}

// lineOrder returns the order number shipment line l belongs to: its own,
// or the shipment's only one, or "".
func lineOrder(s *canonical.Shipment, l *canonical.ShipmentLine) string {
	number := strings.TrimSpace(l.OrderNumber)
	if number == "" && len(s.OrderNumbers) == 1 {
		number = s.OrderNumbers[0]
	}
	return number
}

// sameUnit reports whether shipment line l's quantity counts against order
// line ol's: their units are the same, or one is not given.
func sameUnit(l *canonical.ShipmentLine, ol *canonical.OrderLine) bool {
	return l.UOM == "" || ol.UOM == "" || strings.EqualFold(l.UOM, ol.UOM)
}

// ShipmentOrderNumbers returns the order numbers a shipment names: its
// order_numbers as they are and its lines' order_number trimmed, without
// repeats, in document order. over_shipment compares each line only with an
// order among them, so a ShipmentFinder may index shipments by them.
func ShipmentOrderNumbers(s *canonical.Shipment) []string {
	var out []string
	add := func(n string) {
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	for _, n := range s.OrderNumbers {
		add(n)
	}
	for i := range s.Lines {
		add(strings.TrimSpace(s.Lines[i].OrderNumber))
	}
	return out
}

// earlier returns, by index of the line of order o (number), what the
// other shipments against it shipped of the line, matched by the rules of
// the shipment's own lines. Shipments with s's ID, which s replaces, and
// cancelled ones do not count.
func (e *evaluation) earlier(ctx context.Context, s *canonical.Shipment, number string, o *canonical.Order) (map[int]*prior, error) {
	others, err := e.env.Shipments.EarlierShipments(ctx, e.env.PartnerID, s.Kind, number, s.ShipmentID)
	if err != nil {
		return nil, fmt.Errorf("partners: over_shipment: shipment %s: looking up the other shipments of order %s: %w",
			s.ShipmentID, number, err)
	}
	out := map[int]*prior{}
	for _, x := range others {
		if x == nil || x.ShipmentID == s.ShipmentID || canonical.PurposeOf(x) == canonical.PurposeCancel {
			continue
		}
		for i := range x.Lines {
			l := &x.Lines[i]
			qty, ok := ratOf(l.QuantityShipped)
			if !ok || qty.Sign() == 0 || lineOrder(x, l) != number {
				continue
			}
			j := matchOrderLine(o, l)
			if j < 0 || !sameUnit(l, &o.Lines[j]) {
				continue
			}
			p := out[j]
			if p == nil {
				p = &prior{total: new(big.Rat)}
				out[j] = p
			}
			p.total.Add(p.total, qty)
			p.scale = max(p.scale, scaleOf(l.QuantityShipped))
			if !slices.Contains(p.ids, x.ShipmentID) {
				p.ids = append(p.ids, x.ShipmentID)
			}
		}
	}
	return out, nil
}

// order returns the stored order of the number, or nil, looking each
// number up once.
func (e *evaluation) order(ctx context.Context, cache map[string]*canonical.Order, kind, number string) (*canonical.Order, error) {
	if number == "" {
		return nil, nil
	}
	if o, seen := cache[number]; seen {
		return o, nil
	}
	doc, ok, err := e.env.Related.Related(ctx, e.env.PartnerID, canonical.TypeOrder, kind, number)
	if err != nil {
		return nil, fmt.Errorf("partners: over_shipment: looking up order %s: %w", number, err)
	}
	var o *canonical.Order
	if ok {
		if o, ok = doc.(*canonical.Order); !ok {
			return nil, fmt.Errorf("partners: over_shipment: Related returned a %T for order %s", doc, number)
		}
	}
	cache[number] = o
	return o, nil
}

// matchOrderLine returns the index of the order line l ships, or -1.
func matchOrderLine(o *canonical.Order, l *canonical.ShipmentLine) int {
	if o == nil {
		return -1
	}
	if n := lineNumber(l.LineNumber); n != "" {
		if j := slices.IndexFunc(o.Lines, func(ol canonical.OrderLine) bool { return lineNumber(ol.LineNumber) == n }); j >= 0 {
			return j
		}
	}
	ids := itemIDs(l.Item)
	return slices.IndexFunc(o.Lines, func(ol canonical.OrderLine) bool {
		return slices.ContainsFunc(itemIDs(ol.Item), func(id string) bool { return slices.Contains(ids, id) })
	})
}

// lineNumber normalizes a line number: "001" and "1" are the same line.
func lineNumber(s string) string {
	s = strings.TrimSpace(s)
	if t := strings.TrimLeft(s, "0"); t != s && digitsOnly(s) {
		return cmp.Or(t, "0")
	}
	return s
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// overOrder reports sum when it exceeds the order line's quantity, or
// does with what other shipments shipped of the line (before, or nil).
func (e *evaluation) overOrder(s *canonical.Shipment, sum *shipped, before *prior) {
	ol := &sum.order.Lines[sum.line]
	ordered, ok := ratOf(ol.Quantity)
	if !ok {
		return
	}
	all, scale := sum.total, sum.scale
	if before != nil {
		all, scale = new(big.Rat).Add(sum.total, before.total), max(scale, before.scale)
	}
	if all.Cmp(ordered) <= 0 {
		return
	}
	excess := new(big.Rat).Sub(all, ordered)
	first := &s.Lines[sum.from[0]]
	label := lineLabel(first.LineNumber, sum.from[0], first.Item)
	total := sum.total.FloatString(sum.scale)
	ships := fmt.Sprintf("ships %s%s", total, unit(first.UOM, ol.UOM))
	if len(sum.from) > 1 {
		var nums []string
		for _, i := range sum.from {
			nums = append(nums, strconv.Itoa(i+1))
		}
		label = "lines at positions " + strings.Join(nums, ", ")
		if id := itemLabel(first.Item); id != "" {
			label += " (item " + id + ")"
		}
		ships = "ship " + total + unit(first.UOM, ol.UOM) + " together"
	}
	if before != nil {
		ships += fmt.Sprintf(", %s with the %s shipped before (%s)", all.FloatString(scale),
			before.total.FloatString(before.scale), shipmentList(before.ids))
	}
	e.add(index("lines", sum.from[0])+".quantity_shipped", total, quantityRefs[e.x12], "",
		"%s: %s, %s more than the %s ordered on order %s %s", label, ships, excess.FloatString(max(scale, scaleOf(ol.Quantity))),
		ol.Quantity, sum.order.OrderNumber, lineLabel(ol.LineNumber, sum.line, canonical.Item{}))
}

// maxListed is how many shipment IDs a message lists.
const maxListed = 3

// shipmentList names shipments for a message: "shipment A", "shipments A,
// B, C and 2 more".
func shipmentList(ids []string) string {
	if len(ids) == 1 {
		return "shipment " + ids[0]
	}
	if len(ids) <= maxListed {
		return "shipments " + strings.Join(ids[:len(ids)-1], ", ") + " and " + ids[len(ids)-1]
	}
	return fmt.Sprintf("shipments %s and %d more", strings.Join(ids[:maxListed], ", "), len(ids)-maxListed)
}

// overStated reports shipment line i when it ships more than the quantity
// ordered it states itself.
func (e *evaluation) overStated(s *canonical.Shipment, i int, why string) {
	l := &s.Lines[i]
	qty, ok1 := ratOf(l.QuantityShipped)
	ordered, ok2 := ratOf(l.QuantityOrdered)
	if !ok1 || !ok2 || qty.Cmp(ordered) <= 0 {
		return
	}
	scale := max(scaleOf(l.QuantityShipped), scaleOf(l.QuantityOrdered))
	excess := new(big.Rat).Sub(qty, ordered)
	e.add(index("lines", i)+".quantity_shipped", string(l.QuantityShipped), quantityRefs[e.x12], "",
		"%s: ships %s%s, %s more than the %s ordered that the shipment states (%s)",
		lineLabel(l.LineNumber, i, l.Item), l.QuantityShipped, unit(l.UOM), excess.FloatString(scale), l.QuantityOrdered, why)
}

// unit returns " EA" for the first unit given, or "".
func unit(uoms ...string) string {
	for _, u := range uoms {
		if u = strings.TrimSpace(u); u != "" {
			return " " + u
		}
	}
	return ""
}
