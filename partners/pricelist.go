package partners

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/partnergate/partnergate/canonical"
)

// ErrPriceList is wrapped by every PriceListError.
var ErrPriceList = errors.New("partners: invalid price list")

// maxPriceListErrors is how many bad rows ReadPriceList reports before it
// stops.
const maxPriceListErrors = 50

// PriceList is a partner's unit prices by item and, optionally, unit of
// measure, as price_list reads them. It is immutable once read and safe for
// concurrent use.
type PriceList struct {
	// File is the file the list was read from, as the partner file's
	// folder joined with the policy's "file"; "" when not read by Load.
	File   string
	prices map[priceKey]Price
}

type priceKey struct{ item, uom string }

// Price is one row of a price list.
type Price struct {
	// Item is the item identifier, matched against every identifier of an
	// order line (vendor item, buyer item, SKU, UPC, GTIN, case UPC, then
	// the other IDs), exactly.
	Item string
	// UOM is the unit of measure the price is for, upper case; "" prices
	// the item in any unit without a price of its own.
	UOM string
	// UnitPrice is the price, a decimal greater than 0.
	UnitPrice canonical.Decimal
	// Line is the row's line in the file.
	Line int
}

// PriceListError is one bad row of a price list.
type PriceListError struct {
	// Line is the 1-based line in the file, 0 for the file as a whole.
	Line int
	// Column is "item", "unit_price", "uom", or "" for the row as a whole.
	Column string
	// Value is the bad value, "" when missing.
	Value string
	// Msg says what is wrong.
	Msg string
}

// Error reads "line 4: unit_price: \"1,5\": want a decimal greater than 0,
// such as 10.00".
func (e *PriceListError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		b.WriteString("line " + strconv.Itoa(e.Line) + ": ")
	}
	if e.Column != "" {
		b.WriteString(e.Column + ": ")
	}
	if e.Value != "" {
		b.WriteString(strconv.Quote(e.Value) + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns ErrPriceList.
func (e *PriceListError) Unwrap() error { return ErrPriceList }

// PriceListErrors are the bad rows of a price list, in line order.
type PriceListErrors []*PriceListError

// Error joins the errors with "; ".
func (es PriceListErrors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return "partners: price list: " + strings.Join(s, "; ")
}

// Unwrap returns the errors, so that errors.Is and errors.As see each.
func (es PriceListErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// ReadPriceList reads a price list: a comma-separated file of rows "item,
// unit price" or "item, unit price, unit of measure", such as
//
//	item,unit_price,uom
//	12345,10.00,EA
//	12345,115.00,CA
//	KT-100,9.25
//
// The header row is optional; when present its first field is "item", its
// second "unit_price" (or "price") and its third, if any, "uom" (or
// "unit"). Blank lines and lines starting with '#' are skipped. Fields may
// be quoted as in RFC 4180. Each price is a decimal greater than 0 with a
// point, never a comma. An item may have one price per unit and one for any
// unit. Every bad row is reported, up to 50, as PriceListErrors; an
// error reading r is returned as it is.
func ReadPriceList(r io.Reader) (*PriceList, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	pl := &PriceList{prices: map[priceKey]Price{}}
	var errs PriceListErrors
	bad := func(line int, col, value, format string, args ...any) {
		errs = append(errs, &PriceListError{Line: line, Column: col, Value: value, Msg: fmt.Sprintf(format, args...)})
	}
	for first := true; len(errs) < maxPriceListErrors; first = false {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if pe, ok := errors.AsType[*csv.ParseError](err); ok {
			bad(pe.Line, "", "", "%s", pe.Err)
			if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
				continue
			}
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if first && strings.EqualFold(rec[0], "item") {
			checkPriceHeader(rec, line, bad)
			continue
		}
		if len(rec) < 2 || len(rec) > 3 {
			bad(line, "", "", "%d fields: want item, unit price and optionally a unit of measure", len(rec))
			continue
		}
		p := Price{Item: rec[0], UnitPrice: canonical.Decimal(rec[1]), Line: line}
		if len(rec) == 3 {
			p.UOM = strings.ToUpper(rec[2])
		}
		if p.Item == "" {
			bad(line, "item", "", "missing")
			continue
		}
		if v, ok := ratOf(p.UnitPrice); !ok || v.Sign() <= 0 {
			bad(line, "unit_price", rec[1], "want a decimal greater than 0, such as 10.00")
			continue
		}
		k := priceKey{p.Item, p.UOM}
		if prev, dup := pl.prices[k]; dup {
			bad(line, "item", p.Item, "priced twice %s(first at line %d)", forUnit(p.UOM), prev.Line)
			continue
		}
		pl.prices[k] = p
	}
	if len(errs) >= maxPriceListErrors {
		bad(0, "", "", "too many errors, stopped reading")
	}
	if len(errs) == 0 && len(pl.prices) == 0 {
		bad(0, "", "", "no prices")
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return pl, nil
}

func forUnit(uom string) string {
	if uom == "" {
		return "for any unit "
	}
	return "in " + uom + " "
}

func checkPriceHeader(rec []string, line int, bad func(int, string, string, string, ...any)) {
	ok := len(rec) >= 2 && len(rec) <= 3
	if ok {
		p := strings.ToLower(rec[1])
		ok = p == "unit_price" || p == "price"
	}
	if ok && len(rec) == 3 {
		u := strings.ToLower(rec[2])
		ok = u == "uom" || u == "unit"
	}
	if !ok {
		bad(line, "", strings.Join(rec, ","), "a header row is item,unit_price or item,unit_price,uom")
	}
}

// Len returns the number of prices.
func (pl *PriceList) Len() int { return len(pl.prices) }

// Lookup returns the price of item in the unit of measure uom (compared
// upper case), or else its price for any unit.
func (pl *PriceList) Lookup(item, uom string) (Price, bool) {
	if p, ok := pl.prices[priceKey{item, strings.ToUpper(strings.TrimSpace(uom))}]; ok {
		return p, true
	}
	p, ok := pl.prices[priceKey{item, ""}]
	return p, ok
}

// lookupItem returns the first identifier of it that the list prices in uom,
// and its price.
func (pl *PriceList) lookupItem(it canonical.Item, uom string) (string, Price, bool) {
	for _, id := range itemIDs(it) {
		if p, ok := pl.Lookup(id, uom); ok {
			return id, p, true
		}
	}
	return "", Price{}, false
}
