package partners

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// nodeReader reads values out of one file's YAML node tree by key path,
// reporting to probs every key it does not know, every key given twice and
// every value of the wrong shape, with its line.
type nodeReader struct {
	file  string
	probs *problems
}

func (r *nodeReader) add(n *yaml.Node, field, format string, args ...any) {
	r.probs.add(r.file, lineOf(n, 0), field, format, args...)
}

// parseDocument parses data as exactly one YAML document and returns its
// root, or nil after reporting why it cannot.
func (r *nodeReader) parseDocument(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			r.probs.add(r.file, 0, "", "the file is empty")
		} else {
			r.probs.add(r.file, syntaxLine(err), "", "not valid YAML: %s", syntaxMsg(err))
		}
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		r.probs.add(r.file, extra.Line, "", "a second YAML document: keep one partner per file")
		return nil
	}
	if len(doc.Content) == 0 {
		r.probs.add(r.file, 0, "", "the file is empty")
		return nil
	}
	return doc.Content[0]
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// syntaxLine returns the line number of a yaml syntax error, or 0.
func syntaxLine(err error) int {
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func syntaxMsg(err error) string {
	s := yamlLine.ReplaceAllString(err.Error(), "")
	return strings.TrimPrefix(s, "yaml: ")
}

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// fields returns the values of mapping n by key. A missing or null n is an
// empty mapping.
func (r *nodeReader) fields(n *yaml.Node, field string, known ...string) map[string]*yaml.Node {
	n = resolve(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		r.add(n, field, "want a mapping of %s", strings.Join(known, ", "))
		return nil
	}
	out := make(map[string]*yaml.Node, len(n.Content)/2)
	seen := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		path := join(field, k.Value)
		switch {
		case !slices.Contains(known, k.Value):
			r.add(k, path, "unknown key %q; known keys here: %s", k.Value, strings.Join(known, ", "))
		case seen[k.Value] > 0:
			r.add(k, path, "given twice (first at line %d)", seen[k.Value])
		default:
			seen[k.Value] = k.Line
			out[k.Value] = v
		}
	}
	return out
}

// scalar returns the value of scalar n, without surrounding spaces, and
// true; a missing or null n gives false, anything else is reported.
func (r *nodeReader) scalar(n *yaml.Node, field string) (string, bool) {
	n = resolve(n)
	if isNull(n) {
		return "", false
	}
	if n.Kind != yaml.ScalarNode {
		r.add(n, field, "want a single value, not a %s", kindName(n.Kind))
		return "", false
	}
	return strings.TrimSpace(n.Value), true
}

// required returns the value of scalar n, reporting its absence at the line
// of parent, the mapping that should hold it.
func (r *nodeReader) required(n, parent *yaml.Node, field string) string {
	v, ok := r.scalar(n, field)
	switch {
	case !ok && isNull(resolve(n)):
		r.add(parent, field, "required")
	case ok && v == "":
		r.add(n, field, "must not be empty")
	}
	return v
}

// enum returns the value of scalar n when it is one of allowed; a value
// that is not is reported.
func (r *nodeReader) enum(n *yaml.Node, field string, allowed ...string) (string, bool) {
	v, ok := r.scalar(n, field)
	if !ok {
		if isNull(resolve(n)) {
			r.add(n, field, "want one of %s", strings.Join(allowed, ", "))
		}
		return "", false
	}
	if !slices.Contains(allowed, v) {
		r.add(n, field, "%q is not one of %s", v, strings.Join(allowed, ", "))
		return "", false
	}
	return v, true
}

// list returns the items of sequence n; a missing or null n gives none.
func (r *nodeReader) list(n *yaml.Node, field string) []*yaml.Node {
	n = resolve(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		r.add(n, field, "want a list, not a %s", kindName(n.Kind))
		return nil
	}
	return n.Content
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "value"
}

// lineOf returns n's line, or fallback when n is missing.
func lineOf(n *yaml.Node, fallback int) int {
	if n = resolve(n); n == nil {
		return fallback
	}
	return n.Line
}

func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

func index(field string, i int) string {
	return field + "[" + strconv.Itoa(i) + "]"
}
