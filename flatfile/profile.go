package flatfile

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/partnergate/partnergate/canonical"
)

// What a profile does when a row has an error (Profile.OnError).
const (
	// OnErrorRejectDocument rejects the documents with errors and accepts
	// the others. The default.
	OnErrorRejectDocument = "reject_document"
	// OnErrorRejectFile rejects every document of the file when any row has
	// an error.
	OnErrorRejectFile = "reject_file"
)

// Encodings of Profile.Encoding.
const (
	// EncodingUTF8 is UTF-8, with or without a byte order mark. The default.
	EncodingUTF8 = "utf-8"
	// EncodingWindows1252 is Windows code page 1252 (Western European).
	EncodingWindows1252 = "windows-1252"
	// EncodingISO88591 is ISO-8859-1 (Latin-1).
	EncodingISO88591 = "iso-8859-1"
)

// Defaults of optional profile settings.
const (
	// DefaultDateFormat is the default of Profile.DateFormats.
	DefaultDateFormat = "YYYY-MM-DD"
	// DefaultTimeFormat and DefaultTimeFormatSeconds are the defaults of
	// Profile.TimeFormats, tried in this order.
	DefaultTimeFormat, DefaultTimeFormatSeconds = "HH:MM", "HH:MM:SS"
)

// Profile says how one kind of CSV file from a partner becomes canonical
// documents: one entry of the partner file's "csv:" list. Keys in the
// partner file are the snake_case names given below.
type Profile struct {
	// Name identifies the profile within its partner (key "name").
	// Required.
	Name string
	// Pattern selects the files the profile reads by their base name, in
	// path.Match syntax, such as "SHIPCONF_*.csv" (key "pattern"). Required.
	Pattern string
	// DocType is canonical.TypeOrder, TypeShipment or TypeReturn (key
	// "type"). Required.
	DocType string
	// Kind is the documents' canonical kind (key "kind"). Default by type:
	// purchase_order, ship_notice, return_receipt.
	Kind string
	// Dialect is how the CSV is written.
	Dialect Dialect
	// Encoding is EncodingUTF8 (default; a byte order mark is skipped),
	// EncodingWindows1252 or EncodingISO88591 (key "encoding").
	Encoding string
	// Columns maps each canonical field to the column it is read from (key
	// "columns"). Two fields may read the same column. Required.
	Columns map[Field]Source
	// Group is the document field whose equal values on consecutive rows
	// make one document (key "group"): the shipment ID, RMA or order
	// number. Required, and mapped in Columns.
	Group Field
	// DateFormats are tried in order on date values (key "date_formats"):
	// named formats (YYYY-MM-DD, YYYYMMDD, YYYY/MM/DD, MM/DD/YYYY,
	// DD/MM/YYYY, DD.MM.YYYY, DD-MM-YYYY, MM-DD-YYYY, M/D/YYYY, D.M.YYYY,
	// MM/DD/YY) or Go layouts such as "2006-01-02T15:04:05Z07:00". Default
	// [DefaultDateFormat].
	DateFormats []string
	// TimeFormats are tried in order on time values (key "time_formats"):
	// HH:MM, HH:MM:SS, HHMM, HHMMSS or Go layouts such as "3:04 PM".
	// Default [DefaultTimeFormat], [DefaultTimeFormatSeconds].
	TimeFormats []string
	// ValueMaps translate the partner's values of a field into canonical
	// ones before they are checked (key "value_maps"), such as carrier
	// names into SCACs. A field with a map accepts only the values in it
	// (matched exactly, then ignoring case).
	ValueMaps map[Field]map[string]string
	// Required are fields that must not be empty on any row (key
	// "required"). The group field always is.
	Required []Field
	// Defaults are canonical values for fields whose column is empty or not
	// mapped (key "defaults").
	Defaults map[Field]string
	// OnError is OnErrorRejectDocument (default) or OnErrorRejectFile (key
	// "on_error").
	OnError string
}

// Dialect is how a CSV file is written.
type Dialect struct {
	// Delimiter separates fields (key "delimiter"). Default ','.
	Delimiter rune
	// Quote encloses fields holding delimiters, quotes or line breaks (key
	// "quote"): '"' (default) or '\''.
	Quote rune
	// NoHeader says the file has no header row: every column is given by
	// position (key "header: false"). Default false: the first row after
	// Skip is the header.
	NoHeader bool
	// Skip is the number of lines before the header, or before the first
	// row without a header (key "skip").
	Skip int
	// Trailer is the number of rows at the end of the file to ignore (key
	// "trailer"), such as a "TOTAL" row.
	Trailer int
	// DecimalComma says numbers are written 1.234,50 rather than 1,234.50
	// (key "decimal_comma").
	DecimalComma bool
}

// Source is where a field's value comes from: a header name or a 1-based
// column position, exactly one of them.
type Source struct {
	Name string
	Pos  int
}

// label names the column in errors: the name, or "#N".
func (s Source) label() string {
	if s.Name != "" {
		return s.Name
	}
	return "#" + strconv.Itoa(s.Pos)
}

// defaultKind returns the kind documents of docType get by default.
func defaultKind(docType string) string {
	switch docType {
	case canonical.TypeOrder:
		return canonical.KindPurchaseOrder
	case canonical.TypeShipment:
		return canonical.KindShipNotice
	}
	return canonical.KindReturnReceipt
}

var kindsOf = map[string][]string{
	canonical.TypeOrder:    {canonical.KindPurchaseOrder, canonical.KindWarehouseOrder},
	canonical.TypeShipment: {canonical.KindShipNotice, canonical.KindWarehouseShippingAdvice},
	canonical.TypeReturn:   {canonical.KindReturnReceipt, canonical.KindReturnAuthorization},
}

// Matches reports whether the base name of filename matches Pattern.
func (p *Profile) Matches(filename string) bool {
	ok, err := path.Match(p.Pattern, path.Base(strings.ReplaceAll(filename, "\\", "/")))
	return err == nil && ok
}

// Match returns the first profile of ps whose Pattern matches filename.
func Match(ps []Profile, filename string) (*Profile, bool) {
	for i := range ps {
		if ps[i].Matches(filename) {
			return &ps[i], true
		}
	}
	return nil, false
}

// profileCheck collects the mistakes of one profile.
type profileCheck struct {
	p    *Profile
	errs ProfileErrors
}

func (c *profileCheck) add(key, sub, value, msg string) {
	c.errs = append(c.errs, &ProfileError{Key: key, Sub: sub, Value: value, Msg: msg})
}

// Validate checks the profile and returns nil or a ProfileErrors naming
// every mistake by its key.
func (p *Profile) Validate() error {
	c := &profileCheck{p: p}
	c.basics()
	c.dialect()
	mask := maskOf(p.DocType)
	c.columns(mask)
	c.group()
	c.formats("date_formats", p.DateFormats, compileDate)
	c.formats("time_formats", p.TimeFormats, compileTime)
	c.valueMaps(mask)
	c.required(mask)
	c.defaults(mask)
	if _, ok := p.Columns[FieldLineQuantity]; !ok && p.Defaults[FieldLineQuantity] == "" && mask != 0 {
		c.add("columns", string(FieldLineQuantity), "", "required: every line needs a quantity (map a column or give a default)")
	}
	if k := keyField(p.DocType); mask != 0 && k != p.Group {
		if _, ok := p.Columns[k]; !ok {
			c.add("columns", string(k), "", "required: every "+p.DocType+" needs its "+string(k))
		}
	}
	if len(c.errs) == 0 {
		return nil
	}
	return c.errs
}

func (c *profileCheck) basics() {
	p := c.p
	if p.Name == "" {
		c.add("name", "", "", "required")
	}
	switch _, err := path.Match(p.Pattern, ""); {
	case p.Pattern == "":
		c.add("pattern", "", "", "required: a file name pattern such as SHIP_*.csv")
	case err != nil || strings.Contains(p.Pattern, "/"):
		c.add("pattern", "", p.Pattern, "want a file name pattern such as SHIP_*.csv (path.Match syntax, no '/')")
	}
	kinds, ok := kindsOf[p.DocType]
	if !ok {
		c.add("type", "", p.DocType, "want one of order, shipment, return")
	}
	if p.Kind != "" && ok && !slices.Contains(kinds, p.Kind) {
		c.add("kind", "", p.Kind, "want one of "+strings.Join(kinds, ", "))
	}
	switch strings.ToLower(p.Encoding) {
	case "", EncodingUTF8, "utf8", EncodingWindows1252, "cp1252", EncodingISO88591, "latin1":
	default:
		c.add("encoding", "", p.Encoding, "want one of utf-8, windows-1252, iso-8859-1")
	}
	switch p.OnError {
	case "", OnErrorRejectDocument, OnErrorRejectFile:
	default:
		c.add("on_error", "", p.OnError, "want reject_file or reject_document")
	}
}

func (c *profileCheck) dialect() {
	d := c.p.Dialect
	delim, quote := d.delimiter(), d.quote()
	if !validDelim(delim) {
		c.add("delimiter", "", string(delim), "want one character other than a quote or line break, such as ',', ';' or a tab")
	}
	if quote != '"' && quote != '\'' {
		c.add("quote", "", string(quote), `want " or '`)
	} else if quote == delim {
		c.add("quote", "", string(quote), "must differ from the delimiter")
	}
	if d.Skip < 0 {
		c.add("skip", "", strconv.Itoa(d.Skip), "must not be negative")
	}
	if d.Trailer < 0 {
		c.add("trailer", "", strconv.Itoa(d.Trailer), "must not be negative")
	}
}

func validDelim(r rune) bool {
	return r != 0 && r != '"' && r != '\'' && r != '\r' && r != '\n' && r != utf8.RuneError && utf8.ValidRune(r)
}

func (d Dialect) delimiter() rune {
	if d.Delimiter == 0 {
		return ','
	}
	return d.Delimiter
}

func (d Dialect) quote() rune {
	if d.Quote == 0 {
		return '"'
	}
	return d.Quote
}

// fieldFor checks that f is a known field for documents of mask, reporting
// it under key otherwise.
func (c *profileCheck) fieldFor(key string, f Field, mask docMask) (fieldInfo, bool) {
	fi, ok := fields[f]
	switch {
	case !ok:
		c.add(key, string(f), "", "unknown canonical field")
	case mask != 0 && fi.docs&mask == 0:
		c.add(key, string(f), "", "not a field of a "+c.p.DocType+" document")
		ok = false
	}
	return fi, ok
}

func (c *profileCheck) columns(mask docMask) {
	if len(c.p.Columns) == 0 {
		c.add("columns", "", "", "required: map canonical fields to header names or positions")
	}
	for _, f := range sortedFields(c.p.Columns) {
		c.fieldFor("columns", f, mask)
		s := c.p.Columns[f]
		switch {
		case s.Name != "" && s.Pos != 0:
			c.add("columns", string(f), s.Name, "give a header name or a position, not both")
		case s.Name == "" && s.Pos <= 0:
			c.add("columns", string(f), strconv.Itoa(s.Pos), "want a header name or a position from 1")
		case s.Name != "" && c.p.Dialect.NoHeader:
			c.add("columns", string(f), s.Name, "the file has no header (header: false): give a position from 1")
		}
	}
}

func (c *profileCheck) group() {
	g := c.p.Group
	fi, known := fields[g]
	_, mapped := c.p.Columns[g]
	switch {
	case g == "":
		c.add("group", "", "", "required: the field whose equal values make one document, such as shipment_id")
	case !known:
		c.add("group", "", string(g), "unknown canonical field")
	case fi.line || fi.multi&maskOf(c.p.DocType) != 0:
		c.add("group", "", string(g), "a line field or a list cannot group rows: use a document field such as "+string(keyField(c.p.DocType)))
	case !mapped:
		c.add("group", "", string(g), "not mapped in columns")
	}
}

// keyField is the field holding a document's business key.
func keyField(docType string) Field {
	switch docType {
	case canonical.TypeShipment:
		return FieldShipmentID
	case canonical.TypeReturn:
		return FieldRMANumber
	}
	return FieldOrderNumber
}

func (c *profileCheck) formats(key string, list []string, compile func(string) (layout, bool)) {
	for i, f := range list {
		if _, ok := compile(f); !ok {
			c.add(key, strconv.Itoa(i), f, "not a named format or a Go layout (such as YYYY-MM-DD or 2006-01-02)")
		}
	}
}

func (c *profileCheck) valueMaps(mask docMask) {
	for _, f := range sortedFields(c.p.ValueMaps) {
		fi, ok := c.fieldFor("value_maps", f, mask)
		if !ok {
			continue
		}
		if _, mapped := c.p.Columns[f]; !mapped {
			c.add("value_maps", string(f), "", "not mapped in columns")
		}
		for from, to := range c.p.ValueMaps[f] {
			if !canonicalValue(fi.kind, to) {
				c.add("value_maps", string(f)+"."+from, to, "not a canonical "+kindName(fi.kind))
			}
		}
	}
}

func (c *profileCheck) required(mask docMask) {
	for _, f := range c.p.Required {
		if _, ok := c.fieldFor("required", f, mask); !ok {
			continue
		}
		if _, mapped := c.p.Columns[f]; !mapped && c.p.Defaults[f] == "" {
			c.add("required", string(f), "", "neither mapped in columns nor given a default")
		}
	}
}

func (c *profileCheck) defaults(mask docMask) {
	for _, f := range sortedFields(c.p.Defaults) {
		fi, ok := c.fieldFor("defaults", f, mask)
		if ok && !canonicalValue(fi.kind, c.p.Defaults[f]) {
			c.add("defaults", string(f), c.p.Defaults[f], "not a canonical "+kindName(fi.kind))
		}
	}
}

// canonicalValue reports whether v is already in canonical form for k.
func canonicalValue(k kind, v string) bool {
	switch k {
	case kindDecimal:
		return canonical.Decimal(v).Valid()
	case kindDate:
		return canonical.Date(v).Valid()
	case kindTime:
		return canonical.Time(v).Valid()
	}
	return v != ""
}

func kindName(k kind) string {
	switch k {
	case kindDecimal:
		return "decimal (such as 12.50)"
	case kindDate:
		return "date (YYYY-MM-DD)"
	case kindTime:
		return "time (HH:MM or HH:MM:SS)"
	}
	return "value (not empty)"
}

func sortedFields[V any](m map[Field]V) []Field {
	out := make([]Field, 0, len(m))
	for f := range m {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}
