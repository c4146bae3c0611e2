package partners

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnergate/partnergate/canonical"
	"github.com/partnergate/partnergate/edi"
)

// Where the values the checks read sit in each X12 set.
var (
	scacRefs = map[string]x12Ref{"850": {"TD5", 3, 67}, "856": {"TD5", 3, 67}, "940": {"W66", 10, 140}, "945": {"W27", 2, 140}}
	// The requested dates of an 850 are DTM02s, of a 940 G6202s; the ship
	// date of an 856 is the DTM02 of DTM*011 (or BSN03), of a 945 W0603.
	dateRefs     = map[string]x12Ref{"850": {"DTM", 2, 373}, "940": {"G62", 2, 373}, "856": {"DTM", 2, 373}, "945": {"W06", 3, 373}}
	quantityRefs = map[string]x12Ref{"850": {"PO1", 2, 330}, "940": {"W01", 1, 330}, "856": {"SN1", 2, 382}, "945": {"W12", 3, 382}}
	shipToRef    = x12Ref{"N1", 4, 67}
	unitPriceRef = x12Ref{"PO1", 4, 212}
)

// scacNames are the names of the SCAC's element, for messages.
var scacNames = map[string]string{"850": "TD503", "856": "TD503", "940": "W6610", "945": "W2702"}

func (e *evaluation) missingSCAC() {
	var c *canonical.Carrier
	switch d := e.doc.(type) {
	case *canonical.Order:
		c = &d.Carrier
	case *canonical.Shipment:
		c = &d.Carrier
	default:
		return
	}
	if strings.TrimSpace(c.SCAC) != "" {
		return
	}
	where := ""
	switch {
	case scacNames[e.x12] != "":
		where = " (" + scacNames[e.x12] + ")"
	case e.doc.Head().Source.Format == canonical.FormatCSV:
		where = " (carrier_scac)"
	}
	e.add("carrier.scac", "", scacRefs[e.x12], edi.AK4Missing, "the carrier SCAC%s is missing", where)
}

// isShipTo reports whether a party role is a ship-to.
func isShipTo(role string) bool {
	return role == canonical.RoleShipTo || role == canonical.RoleBillAndShipTo
}

func (e *evaluation) unknownShipTo() {
	var lines []canonical.OrderLine
	switch d := e.doc.(type) {
	case *canonical.Order:
		lines = d.Lines
	case *canonical.Shipment:
	default:
		return
	}
	for i, pt := range e.doc.Head().Parties {
		e.shipTo(pt, index("parties", i), "")
	}
	for i := range lines {
		l := &lines[i]
		for j, pt := range l.Parties {
			e.shipTo(pt, index("lines", i)+"."+index("parties", j), lineLabel(l.LineNumber, i, l.Item)+": ")
		}
	}
}

func (e *evaluation) shipTo(pt canonical.Party, field, prefix string) {
	if !isShipTo(pt.Role) {
		return
	}
	id := strings.TrimSpace(pt.ID)
	name := ""
	if pt.Name != "" {
		name = " (" + strconv.Quote(pt.Name) + ")"
	}
	switch {
	case id == "":
		e.add(field+".id", "", shipToRef, edi.AK4Missing, "%sthe ship-to%s has no ID (N104), so it cannot be checked against the %d known ship-to IDs",
			prefix, name, len(e.p.KnownShipTo))
	case !slices.Contains(e.p.KnownShipTo, id):
		e.add(field+".id", pt.ID, shipToRef, edi.AK4BadCode, "%sship-to ID %s%s is not one of the %d known ship-to IDs",
			prefix, id, name, len(e.p.KnownShipTo))
	}
}

func (e *evaluation) pastDate() error {
	type dated struct {
		field, name string
		date        canonical.Date
	}
	var dates []dated
	what := ""
	switch d := e.doc.(type) {
	case *canonical.Order:
		what = "order"
		dates = []dated{{"requested_ship_date", "requested ship date", d.RequestedShipDate},
			{"requested_delivery_date", "requested delivery date", d.RequestedDeliveryDate}}
	case *canonical.Shipment:
		what = "shipment"
		dates = []dated{{"ship_date", "ship date", d.ShipDate}}
	default:
		return nil
	}
	if e.env.Received.IsZero() {
		return needEnv(e.p.Check, "Received")
	}
	today := canonical.Date(e.env.Received.Format(time.DateOnly))
	for _, d := range dates {
		// Valid ISO dates compare as strings.
		if d.date.Valid() && d.date < today {
			e.add(d.field, string(d.date), dateRefs[e.x12], edi.AK4BadDate, "%s %s is before %s, the day the %s was received",
				d.name, d.date, today, what)
		}
	}
	return nil
}

func (e *evaluation) priceList() error {
	o, ok := e.doc.(*canonical.Order)
	if !ok {
		return nil
	}
	if e.p.Prices == nil {
		return fmt.Errorf("partners: price_list policy without a price list")
	}
	threshold := cmp.Or(e.p.ThresholdPercent, DefaultThresholdPercent)
	limit, ok := ratOf(threshold)
	if !ok || limit.Sign() < 0 {
		return fmt.Errorf("partners: price_list threshold_percent %q is not a decimal from 0", threshold)
	}
	hundred := big.NewRat(100, 1)
	for i := range o.Lines {
		l := &o.Lines[i]
		price, ok := ratOf(l.UnitPrice)
		if !ok {
			continue
		}
		item, listed, ok := e.p.Prices.lookupItem(l.Item, l.UOM)
		if !ok {
			continue
		}
		list, _ := ratOf(listed.UnitPrice) // checked when the list was read
		// deviation = (price - list) / list * 100, exactly.
		dev := new(big.Rat).Sub(price, list)
		dev.Quo(dev, list).Mul(dev, hundred)
		abs := new(big.Rat).Abs(dev)
		if abs.Cmp(limit) <= 0 {
			continue
		}
		dir := "above"
		if dev.Sign() < 0 {
			dir = "below"
		}
		label := lineLabel(l.LineNumber, i, canonical.Item{VendorItem: item})
		e.add(index("lines", i)+".unit_price", string(l.UnitPrice), unitPriceRef, "",
			"%s: unit price %s is %s%% %s the price list's %s (threshold %s%%)",
			label, l.UnitPrice, percentString(abs, limit), dir, listed.UnitPrice, threshold)
	}
	return nil
}

func (e *evaluation) fractionalQuantity() {
	units := e.p.Units
	if len(units) == 0 {
		units = DefaultFractionalUnits()
	}
	check := func(i int, number string, item canonical.Item, field string, qty canonical.Decimal, uom string) {
		u := strings.ToUpper(strings.TrimSpace(uom))
		if u == "" || !slices.Contains(units, u) {
			return
		}
		if r, ok := ratOf(qty); ok && !r.IsInt() {
			e.add(index("lines", i)+"."+field, string(qty), quantityRefs[e.x12], "", "%s: quantity %s %s is not a whole number",
				lineLabel(number, i, item), qty, u)
		}
	}
	switch d := e.doc.(type) {
	case *canonical.Order:
		for i, l := range d.Lines {
			check(i, l.LineNumber, l.Item, "quantity", l.Quantity, l.UOM)
		}
	case *canonical.Shipment:
		for i, l := range d.Lines {
			check(i, l.LineNumber, l.Item, "quantity_shipped", l.QuantityShipped, l.UOM)
		}
	case *canonical.Return:
		for i, l := range d.Lines {
			check(i, l.LineNumber, l.Item, "quantity", l.Quantity, l.UOM)
		}
	}
}

func (e *evaluation) lateASN() error {
	s, ok := e.doc.(*canonical.Shipment)
	if !ok || s.Kind != canonical.KindShipNotice || !s.ShipDate.Valid() {
		return nil
	}
	if e.env.Received.IsZero() {
		return needEnv(e.p.Check, "Received")
	}
	hours := e.p.Hours
	if hours == 0 {
		hours = DefaultLateASNHours
	}
	if hours < 0 {
		return fmt.Errorf("partners: late_asn hours %d is not from 1", hours)
	}
	recv := e.env.Received
	loc := recv.Location()
	day, err := time.ParseInLocation(time.DateOnly, string(s.ShipDate), loc)
	if err != nil {
		return nil
	}
	// Without a ship time, the notice is late from the end of the ship
	// date, so that no partner is counted late for a time it did not send.
	shipped, when := day.AddDate(0, 0, 1), string(s.ShipDate)
	if s.ShipTime.Valid() {
		t, _ := time.Parse(time.TimeOnly, pad(string(s.ShipTime)))
		shipped = day.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second)
		when += " " + string(s.ShipTime)
	}
	after := recv.Sub(shipped)
	if after <= time.Duration(hours)*time.Hour {
		return nil
	}
	ref := dateRefs[e.x12]
	if e.x12 != "856" {
		ref = x12Ref{}
	}
	e.add("ship_date", string(s.ShipDate), ref, "", "received %s, %s after the ship date %s%s (late_asn allows %d hours)",
		recv.Format("2006-01-02 15:04 MST"), hoursMinutes(after), when, endOfDay(s.ShipTime.Valid()), hours)
	return nil
}

func endOfDay(timed bool) string {
	if timed {
		return ""
	}
	return " (counted from its end)"
}

// pad makes HH:MM into HH:MM:SS.
func pad(t string) string {
	if len(t) == 5 {
		return t + ":00"
	}
	return t
}

// hoursMinutes writes d as "25h05m".
func hoursMinutes(d time.Duration) string {
	d = d.Truncate(time.Minute)
	return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// lineLabel names a line for people: "line 3 (item 12345)", with the
// partner's line number, or the line's position when it has none.
func lineLabel(number string, i int, item canonical.Item) string {
	s := "line " + cmp.Or(strings.TrimSpace(number), strconv.Itoa(i+1))
	if id := itemLabel(item); id != "" {
		s += " (item " + id + ")"
	}
	return s
}

// itemIDs returns the item's identifiers, the named ones first, without
// repeats.
func itemIDs(it canonical.Item) []string {
	var ids []string
	for _, v := range []string{it.VendorItem, it.BuyerItem, it.SKU, it.UPC, it.GTIN, it.CaseUPC} {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(ids, v) {
			ids = append(ids, v)
		}
	}
	for _, id := range it.IDs {
		if v := strings.TrimSpace(id.Value); v != "" && !slices.Contains(ids, v) {
			ids = append(ids, v)
		}
	}
	return ids
}

// itemLabel returns the identifier that names an item in messages.
func itemLabel(it canonical.Item) string {
	if ids := itemIDs(it); len(ids) > 0 {
		return ids[0]
	}
	return ""
}
