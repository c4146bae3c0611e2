package partners

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/partnergate/partnergate/edi"
)

// parsed is a partner read from its file, with the lines the checks across
// files need.
type parsed struct {
	p        *Partner
	idLines  []int // line of each X12.IDs entry
	keyLines []int // line of each Channels.API.Keys entry

	sftpUserLine int   // line of Channels.SFTP.Username
	sftpKeyLines []int // line of each Channels.SFTP.AuthorizedKeys entry

	as2IDLine int // line of Channels.AS2.AS2ID

	refs []file // the files the policies read (price lists, ship-to lists)
}

// decodePartner reads one partner file, reporting every problem to probs. It
// returns nil when the file holds no mapping at all.
func decodePartner(file string, data []byte, probs *problems) *parsed {
	r := &nodeReader{file: file, probs: probs}
	root := r.parseDocument(data)
	if root == nil {
		return nil
	}
	f := r.fields(root, "", "id", "name", "status", "x12", "channels", "duplicates", "csv", "policies", "sla", "routes")
	if f == nil {
		return nil
	}
	out := &parsed{p: &Partner{File: file, Line: lineOf(keyNode(root, "id"), root.Line)}}
	p := out.p
	p.ID = r.required(f["id"], root, "id")
	if p.ID != "" && !validID(p.ID) {
		r.add(f["id"], "id", "%q: use lowercase letters, digits and '-' only", p.ID)
	}
	p.Name = r.required(f["name"], root, "name")
	if f["status"] == nil {
		r.add(root, "status", "required: one of active, testing, suspended")
	} else {
		st, _ := r.enum(f["status"], "status", string(StatusActive), string(StatusTesting), string(StatusSuspended))
		p.Status = Status(st)
	}
	r.x12(f["x12"], out)
	r.channels(f["channels"], out)
	p.Duplicates = r.duplicates(f["duplicates"])
	r.sla(f["sla"], p, r.policies(f["policies"], f["duplicates"], out))
	r.csvProfiles(f["csv"], out)
	p.Routes = r.routes(f["routes"], "routes")
	return out
}

// keyNode returns the key node named key of mapping n, or nil.
func keyNode(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i]
		}
	}
	return nil
}

func validID(id string) bool {
	for _, c := range id {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return id != ""
}

func (r *nodeReader) x12(n *yaml.Node, out *parsed) {
	x := &out.p.X12
	x.Ack, x.TA1 = DefaultAck, DefaultTA1
	f := r.fields(n, "x12", "ids", "accept", "ack", "ta1")
	for i, item := range r.list(f["ids"], "x12.ids") {
		if id, ok := r.x12ID(item, index("x12.ids", i)); ok {
			x.IDs = append(x.IDs, id)
			out.idLines = append(out.idLines, resolve(item).Line)
		}
	}
	r.accept(f["accept"], x)
	if f["ack"] != nil {
		if v, ok := r.enum(f["ack"], "x12.ack", edi.AckAuto, edi.Ack997, edi.Ack999, edi.AckNone); ok {
			x.Ack = v
		}
	}
	if f["ta1"] != nil {
		if v, ok := r.enum(f["ta1"], "x12.ta1", edi.TA1PolicyAlways, edi.TA1PolicyOnRequest, edi.TA1PolicyNever); ok {
			x.TA1 = v
		}
	}
	if len(x.Accept) > 0 && len(x.IDs) == 0 && f["ids"] == nil {
		r.add(resolve(n), "x12.ids", "required when x12.accept lists sets: the ISA05/ISA06 the partner sends from")
	}
}

// x12ID reads one {qualifier, id} entry: ISA05 is 2 characters, ISA06 1 to
// 15, both without surrounding spaces.
func (r *nodeReader) x12ID(n *yaml.Node, field string) (X12ID, bool) {
	f := r.fields(n, field, "qualifier", "id")
	if f == nil {
		if isNull(resolve(n)) {
			r.add(resolve(n), field, "want {qualifier: .., id: ..}")
		}
		return X12ID{}, false
	}
	id := X12ID{
		Qualifier: r.required(f["qualifier"], n, join(field, "qualifier")),
		ID:        r.required(f["id"], n, join(field, "id")),
	}
	ok := id.Qualifier != "" && id.ID != ""
	if id.Qualifier != "" && !isX12Text(id.Qualifier, 2, 2) {
		r.add(f["qualifier"], join(field, "qualifier"), "%q: ISA05 is 2 characters, such as ZZ or 01", id.Qualifier)
		ok = false
	}
	if id.ID != "" && !isX12Text(id.ID, 1, 15) {
		r.add(f["id"], join(field, "id"), "%q: ISA06 is 1 to 15 characters without '*', '~' or control characters", id.ID)
		ok = false
	}
	return id, ok
}

// isX12Text reports whether s has min to max characters that can appear in
// an ISA element whatever the delimiters: printable ASCII other than the
// usual separators.
func isX12Text(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || strings.IndexByte("*~|^>:", c) >= 0 {
			return false
		}
	}
	return true
}

func (r *nodeReader) accept(n *yaml.Node, x *X12) {
	seen := map[string]bool{}
	for i, item := range r.list(n, "x12.accept") {
		field := index("x12.accept", i)
		set, ok := r.scalar(item, field)
		switch {
		case !ok && !isNull(resolve(item)):
		case !knownSet(set):
			r.add(resolve(item), field, "%q is not one of 850, 856, 940, 945, 997, 999", set)
		case seen[set]:
			r.add(resolve(item), field, "%q is listed twice", set)
		default:
			seen[set] = true
			x.Accept = append(x.Accept, set)
		}
	}
}

func (r *nodeReader) duplicates(n *yaml.Node) Duplicates {
	d := Duplicates{File: DefaultDuplicateFile, Interchange: DefaultDuplicateInterchange, Document: DefaultDuplicateDocument}
	f := r.fields(n, "duplicates", "file", "interchange", "document")
	for _, k := range []struct {
		key string
		dst *Action
	}{{"file", &d.File}, {"interchange", &d.Interchange}, {"document", &d.Document}} {
		if f[k.key] == nil {
			continue
		}
		v, ok := r.enum(f[k.key], join("duplicates", k.key), string(ActionReject), string(ActionHold), string(ActionAccept))
		if ok {
			*k.dst = Action(v)
		}
	}
	return d
}
