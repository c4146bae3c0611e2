package partners

import (
	"go.yaml.in/yaml/v3"

	"github.com/partnergate/partnergate/outbound"
)

// DecodeRoutes reads a list of delivery routes, the value n of key path
// field in file:
//
//   - {match: {type: order, kind: purchase_order, partner: acme, purpose: cancel}, destination: erp, path: /orders}
//
// Every match key is optional. Whether each destination exists is for the
// caller to check. The gateway configuration reads its routes with it too.
func DecodeRoutes(file string, n *yaml.Node, field string) ([]outbound.Route, []Problem) {
	probs := &problems{}
	r := &nodeReader{file: file, probs: probs}
	return r.routes(n, field), probs.list
}

func (r *nodeReader) routes(n *yaml.Node, field string) []outbound.Route {
	var out []outbound.Route
	for i, item := range r.list(n, field) {
		at := index(field, i)
		f := r.fields(item, at, "match", "destination", "path")
		if f == nil {
			continue
		}
		var rt outbound.Route
		mf := r.fields(f["match"], join(at, "match"), "type", "kind", "partner", "purpose")
		rt.Match.Type, _ = r.scalar(mf["type"], join(at, "match.type"))
		rt.Match.Kind, _ = r.scalar(mf["kind"], join(at, "match.kind"))
		rt.Match.Partner, _ = r.scalar(mf["partner"], join(at, "match.partner"))
		rt.Match.Purpose, _ = r.scalar(mf["purpose"], join(at, "match.purpose"))
		rt.Destination = r.required(f["destination"], item, join(at, "destination"))
		rt.Path, _ = r.scalar(f["path"], join(at, "path"))
		if rt.Destination != outbound.None && (rt.Path == "" || rt.Path[0] != '/') {
			r.add(item, join(at, "path"), "want an absolute path such as /orders")
		}
		out = append(out, rt)
	}
	return out
}
