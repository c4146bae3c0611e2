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
// Every match key is optional. check, when not nil, is called with each
// route that has no problem of its own, such as to see that its destination
// exists, and the error it returns is reported at the route's line. The
// gateway configuration reads its routes with it too.
func DecodeRoutes(file string, n *yaml.Node, field string, check func(outbound.Route) error) ([]outbound.Route, []Problem) {
	probs := &problems{}
	r := &nodeReader{file: file, probs: probs}
	return r.checkedRoutes(n, field, check), probs.list
}

// routes reads the routes of a partner file.
func (r *nodeReader) routes(n *yaml.Node, field string) []outbound.Route {
	return r.checkedRoutes(n, field, nil)
}

func (r *nodeReader) checkedRoutes(n *yaml.Node, field string, check func(outbound.Route) error) []outbound.Route {
	var out []outbound.Route
	for i, item := range r.list(n, field) {
		at := index(field, i)
		before := len(r.probs.list)
		f := r.fields(item, at, "match", "destination", "path")
		if f == nil {
			if isNull(resolve(item)) {
				r.add(item, at, "want a route: {match: {…}, destination: NAME, path: /PATH}")
			}
			continue
		}
		var rt outbound.Route
		mf := r.fields(f["match"], join(at, "match"), "type", "kind", "partner", "purpose")
		rt.Match.Type, _ = r.scalar(mf["type"], join(at, "match.type"))
		rt.Match.Kind, _ = r.scalar(mf["kind"], join(at, "match.kind"))
		rt.Match.Partner, _ = r.scalar(mf["partner"], join(at, "match.partner"))
		rt.Match.Purpose, _ = r.scalar(mf["purpose"], join(at, "match.purpose"))
		rt.Destination = r.required(f["destination"], item, join(at, "destination"))
		pathNode := f["path"]
		path, ok := r.scalar(pathNode, join(at, "path"))
		rt.Path = path
		switch {
		case rt.Destination == outbound.None:
		case !ok && !isNull(resolve(pathNode)):
			// Not a single value, which scalar reported.
		case path == "" || path[0] != '/':
			if isNull(resolve(pathNode)) {
				pathNode = item
			}
			r.add(pathNode, join(at, "path"), "want an absolute path such as /orders")
		}
		if check != nil && len(r.probs.list) == before {
			if err := check(rt); err != nil {
				r.add(item, at, "%v", err)
			}
		}
		out = append(out, rt)
	}
	return out
}
