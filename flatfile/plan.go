package flatfile

import (
	"fmt"
	"strings"
)

// binding is one field of a compiled profile: where its value comes from
// and how it becomes canonical.
type binding struct {
	field    Field
	info     fieldInfo
	src      Source // zero when the field only has a default
	col      int    // 0-based column, -1 when the field only has a default
	label    string // the column as named in errors
	multi    bool   // see fieldInfo.multi
	vmap     map[string]string
	vfold    map[string]string // vmap keyed by lower case
	def      string
	required bool
}

// plan is a validated profile compiled for reading.
type plan struct {
	p        *Profile
	docs     []binding // document fields, the group first
	lines    []binding // line fields
	dates    []layout
	times    []layout
	errDate  error
	errTime  error
	comma    bool
	kind     string
	checkUTF bool
}

// compile validates p and compiles it.
func compile(p *Profile) (*plan, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	pl := &plan{p: p, comma: p.Dialect.DecimalComma, kind: p.Kind}
	if pl.kind == "" {
		pl.kind = defaultKind(p.DocType)
	}
	enc := strings.ToLower(p.Encoding)
	pl.checkUTF = enc == "" || enc == EncodingUTF8 || enc == "utf8"
	pl.dates, pl.errDate = layouts(p.DateFormats, []string{DefaultDateFormat}, compileDate, ErrBadDate)
	pl.times, pl.errTime = layouts(p.TimeFormats, []string{DefaultTimeFormat, DefaultTimeFormatSeconds}, compileTime, ErrBadTime)
	// The group, the business key and the line quantity are always
	// required, so that a document without row errors is valid by
	// construction.
	required := map[Field]bool{p.Group: true, keyField(p.DocType): true, FieldLineQuantity: true}
	for _, f := range p.Required {
		required[f] = true
	}
	used := map[Field]bool{}
	for f := range p.Columns {
		used[f] = true
	}
	for f := range p.Defaults {
		used[f] = true
	}
	for _, f := range sortedFields(used) {
		b := pl.binding(f, required[f])
		switch {
		case f == p.Group:
			pl.docs = append([]binding{b}, pl.docs...)
		case b.info.line:
			pl.lines = append(pl.lines, b)
		default:
			pl.docs = append(pl.docs, b)
		}
	}
	return pl, nil
}

func (pl *plan) binding(f Field, required bool) binding {
	p := pl.p
	src, mapped := p.Columns[f]
	b := binding{field: f, info: fields[f], src: src, col: -1, def: p.Defaults[f], required: required}
	b.multi = b.info.multi&maskOf(p.DocType) != 0 && f != p.Group
	if mapped {
		b.label = src.label()
	}
	if m := p.ValueMaps[f]; m != nil {
		b.vmap = m
		b.vfold = make(map[string]string, len(m))
		for k, v := range m {
			b.vfold[strings.ToLower(k)] = v
		}
	}
	return b
}

func layouts(list, defaults []string, compile func(string) (layout, bool), sentinel error) ([]layout, error) {
	if len(list) == 0 {
		list = defaults
	}
	out := make([]layout, 0, len(list))
	for _, f := range list {
		l, _ := compile(f) // validated
		out = append(out, l)
	}
	return out, fmt.Errorf("%w (%s)", sentinel, strings.Join(list, " or "))
}
