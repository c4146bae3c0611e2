package outbound

import "errors"

// Match selects documents; an empty field matches any value.
type Match struct {
	// Type is the canonical type: order, shipment or return.
	Type string
	// Kind is the canonical kind, such as purchase_order or
	// warehouse_shipping_order.
	Kind string
	// Partner is a partner ID.
	Partner string
	// Purpose is the document's purpose: original, cancel, change, …
	Purpose string
}

// Matches reports whether m selects d.
func (m Match) Matches(d DocumentInfo) bool {
	return (m.Type == "" || m.Type == d.Type) && (m.Kind == "" || m.Kind == d.Kind) &&
		(m.Partner == "" || m.Partner == d.Partner) && (m.Purpose == "" || m.Purpose == d.Purpose)
}

// DocumentInfo is what routes select documents by.
type DocumentInfo struct {
	Type, Kind, Partner, Purpose string
}

// None is the destination of a route that stops matching documents from
// being forwarded; a partner's routes use it to opt out of a global route.
const None = "none"

// Route sends the documents it matches to a destination's path.
type Route struct {
	Match       Match
	Destination string
	// Path is appended to the destination's URL, such as "/orders".
	Path string
}

// Validate checks r against the destinations that exist.
func (r Route) Validate(known func(name string) bool) error {
	if r.Destination == None {
		return nil
	}
	if !known(r.Destination) {
		return errors.New("destination " + r.Destination + " is not among the destinations")
	}
	if len(r.Path) == 0 || r.Path[0] != '/' {
		return errors.New("path: want an absolute path such as /orders")
	}
	return nil
}

// Select returns the routes a document takes: the partner's own routes
// that match it when there is any, else the global routes that match it.
// Every matching route applies once per destination (the first one for a
// destination wins), so a shipment can go to the ERP and the WMS; a
// matching route to None sends the document nowhere.
func Select(global, partner []Route, d DocumentInfo) []Route {
	chosen := matching(partner, d)
	if len(chosen) == 0 {
		chosen = matching(global, d)
	}
	var out []Route
	seen := map[string]bool{}
	for _, r := range chosen {
		if r.Destination == None {
			return nil
		}
		if !seen[r.Destination] {
			seen[r.Destination] = true
			out = append(out, r)
		}
	}
	return out
}

func matching(routes []Route, d DocumentInfo) []Route {
	var out []Route
	for _, r := range routes {
		if r.Match.Matches(d) {
			out = append(out, r)
		}
	}
	return out
}
