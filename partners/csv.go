package partners

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/partnergate/partnergate/flatfile"
)

// csvKeys are the keys of one entry of "csv".
var csvKeys = []string{"name", "pattern", "type", "kind", "delimiter", "quote", "header", "skip", "trailer",
	"decimal_comma", "encoding", "columns", "group", "date_formats", "time_formats", "value_maps", "required",
	"defaults", "on_error"}

// csvProfiles reads the "csv" list: the partner's CSV profiles, each
// checked by flatfile.Profile.Validate, with names unique in the partner.
func (r *nodeReader) csvProfiles(n *yaml.Node, out *parsed) {
	seen := map[string]int{}
	for i, item := range r.list(n, "csv") {
		field := index("csv", i)
		p, ok := r.csvProfile(item, field)
		if !ok {
			continue
		}
		line := resolve(item).Line
		if first, dup := seen[p.Name]; dup {
			r.add(item, field+".name", "%q is the name of another profile (line %d): names must differ", p.Name, first)
			continue
		}
		seen[p.Name] = line
		out.p.CSV = append(out.p.CSV, p)
	}
}

// csvProfile reads one profile and reports whether it is valid.
func (r *nodeReader) csvProfile(n *yaml.Node, field string) (flatfile.Profile, bool) {
	var p flatfile.Profile
	f := r.fields(n, field, csvKeys...)
	if f == nil {
		if isNull(resolve(n)) {
			r.add(resolve(n), field, "want {name: .., pattern: .., type: .., columns: {..}, group: ..}")
		}
		return p, false
	}
	before := len(r.probs.list)
	p.Name, _ = r.scalar(f["name"], field+".name")
	p.Pattern, _ = r.scalar(f["pattern"], field+".pattern")
	p.DocType, _ = r.scalar(f["type"], field+".type")
	p.Kind, _ = r.scalar(f["kind"], field+".kind")
	p.Encoding, _ = r.scalar(f["encoding"], field+".encoding")
	p.OnError, _ = r.scalar(f["on_error"], field+".on_error")
	g, _ := r.scalar(f["group"], field+".group")
	p.Group = flatfile.Field(g)
	r.csvDialect(f, field, &p.Dialect)
	p.Columns = r.csvColumns(f["columns"], field+".columns")
	p.DateFormats = r.strings(f["date_formats"], field+".date_formats")
	p.TimeFormats = r.strings(f["time_formats"], field+".time_formats")
	for _, s := range r.strings(f["required"], field+".required") {
		p.Required = append(p.Required, flatfile.Field(s))
	}
	p.Defaults = r.fieldMap(f["defaults"], field+".defaults")
	p.ValueMaps = r.valueMaps(f["value_maps"], field+".value_maps")
	if len(r.probs.list) > before {
		return p, false
	}
	return p, r.profileProblems(&p, f, field)
}

// profileProblems reports the mistakes Validate finds at the line of the
// key they concern.
func (r *nodeReader) profileProblems(p *flatfile.Profile, f map[string]*yaml.Node, field string) bool {
	var pes flatfile.ProfileErrors
	if !errors.As(p.Validate(), &pes) {
		return true
	}
	for _, pe := range pes {
		msg := pe.Msg
		if pe.Value != "" {
			msg = strconv.Quote(pe.Value) + ": " + msg
		}
		r.add(subNode(f[pe.Key], pe.Sub), field+"."+pe.Field(), "%s", msg)
	}
	return false
}

// subNode returns the value in mapping n of the key sub, or of the key sub
// starts with followed by a dot; n itself otherwise.
func subNode(n *yaml.Node, sub string) *yaml.Node {
	m := resolve(n)
	if m == nil || m.Kind != yaml.MappingNode || sub == "" {
		return n
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i].Value
		if k == sub {
			return m.Content[i]
		}
		if strings.HasPrefix(sub, k+".") {
			return subNode(m.Content[i+1], strings.TrimPrefix(sub, k+"."))
		}
	}
	return n
}

func (r *nodeReader) csvDialect(f map[string]*yaml.Node, field string, d *flatfile.Dialect) {
	d.Delimiter = r.char(f["delimiter"], field+".delimiter")
	d.Quote = r.char(f["quote"], field+".quote")
	if h, ok := r.boolean(f["header"], field+".header"); ok {
		d.NoHeader = !h
	}
	d.DecimalComma, _ = r.boolean(f["decimal_comma"], field+".decimal_comma")
	d.Skip = r.count(f["skip"], field+".skip")
	d.Trailer = r.count(f["trailer"], field+".trailer")
}

// char reads one character; "tab" and "\t" are a tab.
func (r *nodeReader) char(n *yaml.Node, field string) rune {
	v, ok := r.scalar(n, field)
	if raw := resolve(n); ok && raw.Value == "\t" {
		return '\t'
	}
	if !ok {
		return 0
	}
	if v == "tab" || v == `\t` {
		return '\t'
	}
	c, size := utf8.DecodeRuneInString(v)
	if size == 0 || size != len(v) {
		r.add(n, field, "%q: want one character, such as \",\", \";\", \"|\" or tab", v)
		return 0
	}
	return c
}

func (r *nodeReader) boolean(n *yaml.Node, field string) (bool, bool) {
	v, ok := r.scalar(n, field)
	if !ok {
		return false, false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.add(n, field, "%q: want true or false", v)
		return false, false
	}
	return b, true
}

func (r *nodeReader) count(n *yaml.Node, field string) int {
	v, ok := r.scalar(n, field)
	if !ok {
		return 0
	}
	c, err := strconv.Atoi(v)
	if err != nil || c < 0 {
		r.add(n, field, "%q: want a number of lines from 0", v)
		return 0
	}
	return c
}

// csvColumns reads "columns": canonical field → header name (a string) or
// 1-based position (an integer).
func (r *nodeReader) csvColumns(n *yaml.Node, field string) map[flatfile.Field]flatfile.Source {
	m := resolve(n)
	if isNull(m) {
		return nil
	}
	if m.Kind != yaml.MappingNode {
		r.add(m, field, "want a mapping of canonical field to column name or position")
		return nil
	}
	out := map[flatfile.Field]flatfile.Source{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], resolve(m.Content[i+1])
		path := field + "." + k.Value
		s, ok := r.scalar(v, path)
		switch {
		case !ok:
			r.add(k, path, "want a column name or a position from 1")
		case v.ShortTag() == "!!int":
			pos, _ := strconv.Atoi(s)
			out[flatfile.Field(k.Value)] = flatfile.Source{Pos: pos}
		default:
			out[flatfile.Field(k.Value)] = flatfile.Source{Name: s}
		}
	}
	return out
}

// strings reads a list of values.
func (r *nodeReader) strings(n *yaml.Node, field string) []string {
	var out []string
	for i, item := range r.list(n, field) {
		if v, ok := r.scalar(item, index(field, i)); ok {
			out = append(out, v)
		}
	}
	return out
}

// fieldMap reads a mapping of canonical field to value.
func (r *nodeReader) fieldMap(n *yaml.Node, field string) map[flatfile.Field]string {
	out := map[flatfile.Field]string{}
	for k, v := range r.stringMap(n, field) {
		out[flatfile.Field(k)] = v
	}
	return out
}

// stringMap reads a mapping of value to value.
func (r *nodeReader) stringMap(n *yaml.Node, field string) map[string]string {
	m := resolve(n)
	if isNull(m) {
		return nil
	}
	if m.Kind != yaml.MappingNode {
		r.add(m, field, "want a mapping")
		return nil
	}
	out := make(map[string]string, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if v, ok := r.scalar(m.Content[i+1], field+"."+k.Value); ok {
			out[k.Value] = v
		}
	}
	return out
}

// valueMaps reads "value_maps": canonical field → {partner value: canonical
// value}.
func (r *nodeReader) valueMaps(n *yaml.Node, field string) map[flatfile.Field]map[string]string {
	m := resolve(n)
	if isNull(m) {
		return nil
	}
	if m.Kind != yaml.MappingNode {
		r.add(m, field, "want a mapping of canonical field to {partner value: canonical value}")
		return nil
	}
	out := map[flatfile.Field]map[string]string{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		out[flatfile.Field(k.Value)] = r.stringMap(m.Content[i+1], field+"."+k.Value)
	}
	return out
}
