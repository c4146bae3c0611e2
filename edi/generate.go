package edi

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// GenerateOpts shapes the 850 purchase orders written by GenerateOrders and
// GenerateToSize. A nil *GenerateOpts means the defaults; so does a zero
// field.
type GenerateOpts struct {
	// Interchanges is the number of ISA…IEA interchanges GenerateOrders
	// writes. Default 1. GenerateToSize ignores it and writes interchanges
	// until the size is reached.
	Interchanges int
	// GroupsPerInterchange is the number of GS…GE groups in each interchange.
	// Default 1.
	GroupsPerInterchange int
	// SetsPerGroup is the number of 850 sets (purchase orders) in each group.
	// Default 20.
	SetsPerGroup int
	// LinesPerSet is the number of PO1 lines in each purchase order.
	// Default 8.
	LinesPerSet int
	// Release is the X12 release written in GS08: "004010" (the default,
	// with ISA12 00401) or "005010" (ISA12 00501, ISA11 the repetition
	// separator).
	Release string
	// Seed seeds the pseudo-random data. The same options and seed always
	// produce the same bytes. Default 0.
	Seed int64
	// Sender is the buyer: ISA06 (qualifier ZZ), GS02 and the basis of the
	// party names. 2 to 15 characters; default "ACMERETAIL".
	Sender string
	// FirstControl, when positive, is the ISA13 of the first interchange
	// and the GS06 of its first group; the following ones count up from
	// it. Default: a number drawn from Seed.
	FirstControl int
	// Receiver is the vendor: ISA08 (qualifier ZZ) and GS03. 2 to 15
	// characters; default "NORTHWIND".
	Receiver string
	// Delimiters are the separators written. The zero value means
	// DefaultDelimiters. They must be distinct ASCII characters other than
	// letters, digits, a space, '.' and '-' (which occur in the data); the
	// terminator is one byte. A line feed follows each terminator unless the
	// terminator is itself a line feed.
	Delimiters Delimiters
	// Day, when set, is the date of the first interchange (its orders
	// are dated a few days before, with ship and delivery dates after).
	// Default: a day of 2026 drawn from Seed.
	Day time.Time
}

// GenerateStats counts what a generator wrote.
type GenerateStats struct {
	Bytes        int64 // bytes written to the io.Writer
	Interchanges int   // ISA…IEA envelopes
	Groups       int   // GS…GE groups
	Sets         int   // ST…SE transaction sets (850 purchase orders)
	Lines        int   // PO1 segments
}

// Generator defaults; see GenerateOpts.
const (
	defaultGenSets     = 20
	defaultGenLines    = 8
	defaultGenSender   = "ACMERETAIL"
	defaultGenReceiver = "NORTHWIND"
)

// GenerateOrders writes opts.Interchanges interchanges of valid 850 purchase
// orders to w: each set has BEG, CUR, REF DP and IA, PER BD, DTM 002 and 010,
// TD5 with a SCAC, N1 loops ST, BT and BY (with N3, N4 and a 92-qualified
// location number), PO1 lines (EA or CA, a two-decimal price, UP/VN/BP
// product IDs with a valid U.P.C. check digit) each followed by PID and PO4,
// and CTT with the line count and the hash total of PO102, then AMT TT.
// The data is pseudo-random but fully determined by opts.
func GenerateOrders(w io.Writer, opts *GenerateOpts) (GenerateStats, error) {
	g, err := newGenerator(w, opts)
	if err != nil {
		return GenerateStats{}, err
	}
	for range g.opts.Interchanges {
		if err := g.interchange(); err != nil {
			return g.stats(), err
		}
	}
	return g.stats(), nil
}

// GenerateToSize writes interchanges of 850 purchase orders, as
// GenerateOrders does, until at least size bytes were written. It stops at
// the end of the interchange that reaches size, so the output is always
// complete X12. opts.Interchanges is ignored.
func GenerateToSize(w io.Writer, size int64, opts *GenerateOpts) (GenerateStats, error) {
	if size < 0 {
		return GenerateStats{}, fmt.Errorf("edi: GenerateToSize: size %d is negative", size)
	}
	g, err := newGenerator(w, opts)
	if err != nil {
		return GenerateStats{}, err
	}
	for g.cw.n < size {
		if err := g.interchange(); err != nil {
			return g.stats(), err
		}
	}
	return g.stats(), nil
}

// countWriter counts the bytes that reach the underlying writer.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

type genItem struct {
	desc       string // PID05
	upc        string // UP: U.P.C.-A with check digit
	vendorItem string // VN
	buyerItem  string // BP
	cents      int64  // unit price per each
	pack       int    // PO401
	size, uom  string // PO402, PO403
}

type genVariant struct {
	label     string // in the description
	size, uom string // PO402, PO403
}

type genLocation struct {
	name, number           string // N102, N104
	street                 string // N301
	city, state, zip, ctry string // N401..N404
}

type generator struct {
	opts GenerateOpts
	cw   *countWriter
	w    *Writer
	rng  *rand.Rand
	err  error // first error of a Segment call

	isaVersion string
	items      []genItem
	stores     []genLocation
	dcs        []genLocation
	billTo     genLocation
	vendorNo   string // REF IA
	day        time.Time
	isa, gs    int
	po         int64
	st         GenerateStats
	num        []byte // scratch for number formatting
}

func newGenerator(w io.Writer, opts *GenerateOpts) (*generator, error) {
	g := &generator{cw: &countWriter{w: w}}
	if opts != nil {
		g.opts = *opts
	}
	if err := g.opts.setDefaults(); err != nil {
		return nil, err
	}
	g.w = NewWriter(g.cw, g.opts.Delimiters, &WriterOpts{NewLine: true})
	g.rng = rand.New(rand.NewPCG(uint64(g.opts.Seed), 0x9e3779b97f4a7c15))
	g.isaVersion = "00401"
	if g.opts.Release == "005010" {
		g.isaVersion = "00501"
	}
	g.makeParties()
	g.makeCatalog()
	g.day = time.Date(2026, time.January, 5, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.rng.IntN(300))
	if !g.opts.Day.IsZero() {
		g.day = g.opts.Day.UTC().Truncate(24 * time.Hour)
	}
	g.isa = g.rng.IntN(100000)
	if g.opts.FirstControl > 0 {
		g.isa, g.gs = g.opts.FirstControl-1, g.opts.FirstControl-1
	}
	g.po = 4500000000 + int64(g.rng.IntN(1000000))*100
	return g, nil
}

// setDefaults fills zero fields and checks the rest.
func (o *GenerateOpts) setDefaults() error {
	def := func(p *int, name string, v int) error {
		switch {
		case *p < 0:
			return fmt.Errorf("edi: GenerateOpts.%s is %d; it must not be negative", name, *p)
		case *p == 0:
			*p = v
		}
		return nil
	}
	if err := errors.Join(
		def(&o.Interchanges, "Interchanges", 1),
		def(&o.GroupsPerInterchange, "GroupsPerInterchange", 1),
		def(&o.SetsPerGroup, "SetsPerGroup", defaultGenSets),
		def(&o.LinesPerSet, "LinesPerSet", defaultGenLines),
	); err != nil {
		return err
	}
	if o.SetsPerGroup > 999999999 {
		return fmt.Errorf("edi: GenerateOpts.SetsPerGroup %d does not fit in a nine-digit ST02", o.SetsPerGroup)
	}
	switch o.Release {
	case "":
		o.Release = "004010"
	case "004010", "005010":
	default:
		return fmt.Errorf("edi: GenerateOpts.Release %q: the generator writes 004010 or 005010", o.Release)
	}
	o.Sender, o.Receiver = or(o.Sender, defaultGenSender), or(o.Receiver, defaultGenReceiver)
	if o.Delimiters == (Delimiters{}) {
		o.Delimiters = DefaultDelimiters
	}
	if err := checkGenDelimiters(&o.Delimiters, o.Release); err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{{"Sender", o.Sender}, {"Receiver", o.Receiver}} {
		if len(f.v) < 2 || len(f.v) > 15 {
			return fmt.Errorf("edi: GenerateOpts.%s %q must be 2 to 15 characters (ISA06/ISA08, GS02/GS03)", f.name, f.v)
		}
		for i := 0; i < len(f.v); i++ {
			if !genDataByte(f.v[i]) {
				return fmt.Errorf("edi: GenerateOpts.%s %q: only upper-case letters, digits, spaces, '.' and '-' are written", f.name, f.v)
			}
		}
	}
	return nil
}

// genDataByte reports whether c can occur in generated data values.
func genDataByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ' || c == '.' || c == '-'
}

func checkGenDelimiters(d *Delimiters, release string) error {
	if len(d.Terminator) != 1 || d.Element == 0 || d.Component == 0 {
		return errors.New("edi: GenerateOpts.Delimiters needs an element separator, a component separator and a one-byte segment terminator")
	}
	seps := []byte{d.Element, d.Component}
	if release >= "005010" && d.Repetition != 0 {
		seps = append(seps, d.Repetition)
	}
	all := append(seps[:len(seps):len(seps)], d.Terminator...)
	for i, c := range all {
		if c >= 0x80 {
			return fmt.Errorf("edi: GenerateOpts.Delimiters: %s is not an ASCII character", quoteByte(c))
		}
		if genDataByte(c) || c >= 'a' && c <= 'z' {
			return fmt.Errorf("edi: GenerateOpts.Delimiters: %s occurs in the generated data and cannot be a delimiter", quoteByte(c))
		}
		if i < len(seps) && strings.IndexByte(string(all[i+1:]), c) >= 0 {
			return fmt.Errorf("edi: GenerateOpts.Delimiters: %s is used for two delimiters", quoteByte(c))
		}
	}
	return nil
}

func (g *generator) stats() GenerateStats {
	s := g.st
	s.Bytes = g.cw.n
	return s
}

// seg writes a segment, keeping the first error.
func (g *generator) seg(tag string, elems ...string) {
	if g.err == nil {
		g.err = g.w.Segment(tag, elems...)
	}
}

func (g *generator) interchange() error {
	g.day = g.day.AddDate(0, 0, g.rng.IntN(2))
	g.isa = g.isa%999999999 + 1
	hhmm := fmt.Sprintf("%02d%02d", 6+g.rng.IntN(14), g.rng.IntN(60))
	o := &g.opts
	if err := g.w.BeginInterchange(&Interchange{
		SenderQualifier: "ZZ", SenderID: o.Sender, ReceiverQualifier: "ZZ", ReceiverID: o.Receiver,
		Date: g.day.Format("060102"), Time: hhmm, Version: g.isaVersion,
		ControlNumber: strconv.Itoa(g.isa), AckRequested: "0", Usage: "P",
	}); err != nil {
		return err
	}
	g.st.Interchanges++
	date := g.day.Format("20060102")
	for range o.GroupsPerInterchange {
		g.gs = g.gs%999999999 + 1
		if err := g.w.BeginGroup(&Group{
			FunctionalID: "PO", Sender: o.Sender, Receiver: o.Receiver, Date: date, Time: hhmm,
			ControlNumber: strconv.Itoa(g.gs), Agency: "X", Version: o.Release,
		}); err != nil {
			return err
		}
		g.st.Groups++
		for i := range o.SetsPerGroup {
			if err := g.w.BeginSet("850", fmt.Sprintf("%04d", i+1), ""); err != nil {
				return err
			}
			g.order()
			if g.err != nil {
				return g.err
			}
			if err := g.w.EndSet(); err != nil {
				return err
			}
			g.st.Sets++
		}
		if err := g.w.EndGroup(); err != nil {
			return err
		}
	}
	return g.w.EndInterchange()
}

// order writes the body of one 850.
func (g *generator) order() {
	r := g.rng
	g.po++
	poDate := g.day.AddDate(0, 0, -r.IntN(3))
	ship := poDate.AddDate(0, 0, 3+r.IntN(12))
	deliver := ship.AddDate(0, 0, 2+r.IntN(6))

	g.seg("BEG", "00", "SA", strconv.FormatInt(g.po, 10), "", poDate.Format("20060102"))
	g.seg("CUR", "BY", "USD")
	g.seg("REF", "DP", fmt.Sprintf("%03d", 1+r.IntN(120)))
	g.seg("REF", "IA", g.vendorNo)
	g.seg("PER", "BD", pick(r, genFirstNames)+" "+pick(r, genLastNames), "TE", pick(r, genAreaCodes)+"55501"+fmt.Sprintf("%02d", r.IntN(100)))
	g.seg("DTM", "002", deliver.Format("20060102"))
	g.seg("DTM", "010", ship.Format("20060102"))
	sc := genCarriers[r.IntN(len(genCarriers))]
	g.seg("TD5", "O", "2", sc.scac, sc.mode)

	store := &g.stores[r.IntN(len(g.stores))]
	shipTo := store
	if r.IntN(3) > 0 {
		shipTo = &g.dcs[r.IntN(len(g.dcs))]
	}
	g.party("ST", shipTo)
	g.party("BT", &g.billTo)
	g.party("BY", store)

	var hash, totalCents int64
	for line := 1; line <= g.opts.LinesPerSet; line++ {
		it := &g.items[r.IntN(len(g.items))]
		var qty, cents int64
		uom, basis := "EA", "PE" // price per each
		if r.IntN(10) < 3 {
			uom, basis = "CA", "UM" // price per unit of measure: per case
			qty = 1 + int64(r.IntN(40))
			cents = it.cents * int64(it.pack)
		} else {
			qty = int64(it.pack) * (1 + int64(r.IntN(20)))
			cents = it.cents
		}
		hash += qty
		totalCents += qty * cents
		g.seg("PO1", strconv.Itoa(line), strconv.FormatInt(qty, 10), uom, g.money(cents), basis,
			"UP", it.upc, "VN", it.vendorItem, "BP", it.buyerItem)
		g.st.Lines++
		g.seg("PID", "F", "", "", "", it.desc)
		g.seg("PO4", strconv.Itoa(it.pack), it.size, it.uom)
	}
	g.seg("CTT", strconv.Itoa(g.opts.LinesPerSet), strconv.FormatInt(hash, 10))
	g.seg("AMT", "TT", g.money(totalCents))
}

func (g *generator) party(code string, l *genLocation) {
	g.seg("N1", code, l.name, "92", l.number)
	g.seg("N3", l.street)
	g.seg("N4", l.city, l.state, l.zip, l.ctry)
}

// money formats cents as a decimal with two places, e.g. 1250 as "12.50".
func (g *generator) money(cents int64) string {
	b := strconv.AppendInt(g.num[:0], cents/100, 10)
	c := cents % 100
	b = append(b, '.', byte('0'+c/10), byte('0'+c%10))
	g.num = b
	return string(b)
}

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

func (g *generator) makeParties() {
	r := g.rng
	name := g.opts.Sender
	loc := func(kind string, n int) genLocation {
		c := genCities[r.IntN(len(genCities))]
		num := fmt.Sprintf("%04d", n)
		return genLocation{
			name: name + " " + kind + " " + num, number: num,
			street: strconv.Itoa(100+r.IntN(9800)) + " " + pick(r, genStreets),
			city:   c.city, state: c.state, zip: c.zip, ctry: "US",
		}
	}
	for i := range 40 {
		g.stores = append(g.stores, loc("STORE", 100+i*7+r.IntN(7)))
	}
	for i := range 4 {
		g.dcs = append(g.dcs, loc("DC", 9001+i))
	}
	g.billTo = loc("ACCOUNTS PAYABLE", 1)
	g.vendorNo = strconv.Itoa(100000 + r.IntN(900000))
}

func (g *generator) makeCatalog() {
	r := g.rng
	const n = 500
	prefixes := make([]int, len(genBrands))
	for i := range prefixes {
		prefixes[i] = 100000 + r.IntN(900000)
	}
	for i := range n {
		b := r.IntN(len(genBrands))
		p := &genProducts[r.IntN(len(genProducts))]
		v := p.variants[r.IntN(len(p.variants))]
		upc := fmt.Sprintf("%06d%05d", prefixes[b], 10000+i*37%90000)
		g.items = append(g.items, genItem{
			desc:       genBrands[b] + " " + p.name + " " + v.label,
			upc:        upc + string(rune('0'+upcCheckDigit(upc))),
			vendorItem: fmt.Sprintf("NW-%05d", 10000+i),
			buyerItem:  strconv.Itoa(300000000 + r.IntN(100000000)),
			cents:      p.cents * int64(70+r.IntN(61)) / 100,
			pack:       genPacks[r.IntN(len(genPacks))],
			size:       v.size, uom: v.uom,
		})
	}
}

// upcCheckDigit returns the GS1 mod-10 check digit of the 11 digits of a
// U.P.C.-A: three times the digits in odd positions plus the others.
func upcCheckDigit(digits string) int {
	sum := 0
	for i := 0; i < len(digits); i++ {
		d := int(digits[i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return (10 - sum%10) % 10
}

// Invented names and plausible values for the generator: the brands, people
// and addresses are made up; cities, states and ZIP codes are real so that
// addresses look like addresses.
var (
	genBrands   = []string{"NORTHWIND", "BLUE RIDGE", "HARBOR LANE", "SUMMIT FARMS", "MAPLE HOLLOW", "COPPER KETTLE", "PRAIRIE GOLD", "SILVER CREEK"}
	genProducts = []struct {
		name     string
		cents    int64 // typical cost of one unit
		variants []genVariant
	}{
		{"GREEN TEA", 349, []genVariant{{"20 CT", "20", "EA"}, {"100 CT", "100", "EA"}}},
		{"WHOLE BEAN COFFEE", 899, []genVariant{{"12 OZ", "0.75", "LB"}, {"2 LB", "2", "LB"}}},
		{"EXTRA VIRGIN OLIVE OIL", 1099, []genVariant{{"500 ML", "1", "EA"}, {"1 L", "1", "EA"}}},
		{"PASTA SAUCE", 329, []genVariant{{"24 OZ", "1.5", "LB"}}},
		{"HONEY GRANOLA", 449, []genVariant{{"12 OZ", "0.75", "LB"}, {"32 OZ", "2", "LB"}}},
		{"PEANUT BUTTER", 379, []genVariant{{"16 OZ", "1", "LB"}, {"40 OZ", "2.5", "LB"}}},
		{"DISH SOAP", 299, []genVariant{{"24 FL OZ", "1", "EA"}}},
		{"PAPER TOWELS", 1249, []genVariant{{"6 ROLL", "6", "EA"}, {"12 ROLL", "12", "EA"}}},
		{"AA BATTERIES", 899, []genVariant{{"8 PK", "8", "EA"}, {"24 PK", "24", "EA"}}},
		{"LED BULB 60W", 799, []genVariant{{"4 PK", "4", "EA"}}},
		{"TRAIL MIX", 599, []genVariant{{"16 OZ", "1", "LB"}, {"2 LB", "2", "LB"}}},
		{"SPARKLING WATER", 499, []genVariant{{"12 PK", "12", "EA"}}},
		{"TOMATO SOUP", 189, []genVariant{{"16 OZ", "1", "LB"}}},
		{"ROLLED OATS", 429, []genVariant{{"32 OZ", "2", "LB"}}},
		{"CLOVER HONEY", 699, []genVariant{{"12 OZ", "0.75", "LB"}, {"32 OZ", "2", "LB"}}},
		{"ALMOND MILK", 349, []genVariant{{"64 FL OZ", "1", "EA"}}},
		{"LAUNDRY DETERGENT", 1399, []genVariant{{"100 FL OZ", "1", "EA"}}},
		{"HAND SOAP", 249, []genVariant{{"7.5 FL OZ", "1", "EA"}}},
		{"TRASH BAGS", 1099, []genVariant{{"40 CT", "40", "EA"}}},
		{"BBQ SPICE RUB", 449, []genVariant{{"6 OZ", "0.375", "LB"}}},
	}
	genPacks      = []int{4, 6, 6, 12, 12, 12, 24, 24, 48}
	genFirstNames = []string{"DANA", "MARCUS", "PRIYA", "LENA", "TOMAS", "GRACE", "OWEN", "NADIA", "RUTH", "KENJI"}
	genLastNames  = []string{"OKAFOR", "LINDQVIST", "REYES", "CHEN", "MORRIS", "KOWALSKI", "HART", "ABARA", "NOVAK", "SILVA"}
	genAreaCodes  = []string{"612", "614", "303", "512", "919", "503", "608", "402"}
	genStreets    = []string{"MAIN ST", "OAK AVE", "MARKET ST", "INDUSTRIAL PKWY", "COMMERCE DR", "ELM ST", "RIVER RD", "LAKE ST", "2ND AVE", "HIGHLAND BLVD"}
	genCities     = []struct{ city, state, zip string }{
		{"MINNEAPOLIS", "MN", "55401"}, {"COLUMBUS", "OH", "43215"}, {"DENVER", "CO", "80202"}, {"AUSTIN", "TX", "78701"},
		{"RALEIGH", "NC", "27601"}, {"PORTLAND", "OR", "97204"}, {"MADISON", "WI", "53703"}, {"BOISE", "ID", "83702"},
		{"OMAHA", "NE", "68102"}, {"TUCSON", "AZ", "85701"}, {"RICHMOND", "VA", "23219"}, {"SPOKANE", "WA", "99201"},
	}
	// genCarriers are SCACs (TD503) as partners send them, with the
	// transportation method (TD504): M motor, U parcel.
	genCarriers = []struct{ scac, mode string }{
		{"ODFL", "M"}, {"SAIA", "M"}, {"EXLA", "M"}, {"RLCA", "M"}, {"UPSN", "U"}, {"FDEG", "U"},
	}
)
