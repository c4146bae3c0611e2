package partners

import (
	"bufio"
	"bytes"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/partnergate/partnergate/canonical"
)

// policyKeys are the keys of a "policies" entry, by check.
var policyKeys = map[Check][]string{
	CheckMissingSCAC:        {"check", "action"},
	CheckUnknownShipTo:      {"check", "action", "known_ship_to", "file"},
	CheckPastDate:           {"check", "action"},
	CheckPriceList:          {"check", "action", "file", "threshold_percent"},
	CheckFractionalQuantity: {"check", "action", "units"},
	CheckDuplicateKey:       {"check", "action"},
	CheckOverShipment:       {"check", "action"},
	CheckLateASN:            {"check", "action", "hours"},
}

func checkList() string {
	s := make([]string, len(checks))
	for i, c := range checks {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

// policies reads "policies" into p.Policies; duplicate_key sets
// p.Duplicates.Document instead, unless "duplicates" (dups) sets it. It
// returns the checks named, valid or not.
func (r *nodeReader) policies(n, dups *yaml.Node, out *parsed) map[Check]bool {
	p := out.p
	named := map[Check]bool{}
	seen := map[Check]int{}
	for i, item := range r.list(n, "policies") {
		field := index("policies", i)
		pol, ok := r.policy(item, field, out)
		named[pol.Check] = true
		if !ok {
			continue
		}
		if first, dup := seen[pol.Check]; dup {
			r.add(item, field+".check", "%s is already checked at line %d: one entry per check", pol.Check, first)
			continue
		}
		seen[pol.Check] = pol.Line
		if pol.Check != CheckDuplicateKey {
			p.Policies = append(p.Policies, pol)
			continue
		}
		if d := documentKey(dups); d != nil {
			r.add(item, field, "duplicates.document (line %d) already says what to do with a duplicate document: keep one of the two", d.Line)
			continue
		}
		// warn forwards the duplicate; the gateway counts every duplicate.
		p.Duplicates.Document = map[Action]Action{ActionReject: ActionReject, ActionHold: ActionHold, ActionWarn: ActionAccept}[pol.Action]
	}
	return named
}

// documentKey returns the key node "document" of "duplicates", or nil.
func documentKey(dups *yaml.Node) *yaml.Node {
	if d := resolve(dups); d != nil && d.Kind == yaml.MappingNode {
		return keyNode(d, "document")
	}
	return nil
}

// policy reads one entry and reports whether it is valid.
func (r *nodeReader) policy(n *yaml.Node, field string, out *parsed) (Policy, bool) {
	m := resolve(n)
	pol := Policy{File: r.file, Line: lineOf(m, 0)}
	if isNull(m) {
		r.add(m, field, "want {check: .., action: ..}")
		return pol, false
	}
	if m.Kind != yaml.MappingNode {
		r.add(m, field, "want a mapping such as {check: missing_scac, action: hold}, not a %s", kindName(m.Kind))
		return pol, false
	}
	var checkNode *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "check" {
			checkNode = m.Content[i+1]
			break
		}
	}
	if isNull(resolve(checkNode)) {
		r.add(m, field+".check", "required: one of %s", checkList())
		return pol, false
	}
	c, ok := r.scalar(checkNode, field+".check")
	if !ok {
		return pol, false
	}
	pol.Check = Check(c)
	keys, known := policyKeys[pol.Check]
	if !known {
		r.add(checkNode, field+".check", "unknown check %q; the checks are %s", c, checkList())
		return pol, false
	}
	before := len(r.probs.list)
	f := r.fields(m, field, keys...)
	if f["action"] == nil {
		r.add(m, field+".action", "required: one of reject, hold, warn")
	} else if a, ok := r.enum(f["action"], field+".action", string(ActionReject), string(ActionHold), string(ActionWarn)); ok {
		pol.Action = Action(a)
	}
	switch pol.Check {
	case CheckUnknownShipTo:
		r.knownShipTo(f, m, field, &pol, out)
	case CheckPriceList:
		r.priceListParams(f, m, field, &pol, out)
	case CheckFractionalQuantity:
		r.units(f["units"], field+".units", &pol)
	case CheckLateASN:
		pol.Hours = DefaultLateASNHours
		if v, ok := r.scalar(f["hours"], field+".hours"); ok {
			h, err := strconv.Atoi(v)
			if err != nil || h < 1 || h > 24*366 {
				r.add(f["hours"], field+".hours", "%q: want a whole number of hours from 1, such as 24", v)
			} else {
				pol.Hours = h
			}
		}
	}
	return pol, len(r.probs.list) == before
}

func (r *nodeReader) knownShipTo(f map[string]*yaml.Node, m *yaml.Node, field string, pol *Policy, out *parsed) {
	ids := map[string]bool{}
	listNode := resolve(f["known_ship_to"])
	for i, item := range r.list(listNode, field+".known_ship_to") {
		v, ok := r.scalar(item, index(field+".known_ship_to", i))
		switch {
		case ok && v != "":
			ids[v] = true
		case ok || isNull(resolve(item)):
			r.add(resolve(item), index(field+".known_ship_to", i), "want a ship-to ID (N104), such as \"0012345\"")
		}
	}
	if path, ok := r.scalar(f["file"], field+".file"); ok {
		data, full, ok := r.readRef(f["file"], field+".file", path, "ship-to list", out)
		if ok {
			n := len(ids)
			sc := bufio.NewScanner(bytes.NewReader(data))
			for sc.Scan() {
				if v := strings.TrimSpace(sc.Text()); v != "" && !strings.HasPrefix(v, "#") {
					ids[v] = true
				}
			}
			if sc.Err() != nil || len(ids) == n {
				r.probs.add(full, 0, "", "the ship-to list has no IDs: write one ship-to ID (N104) per line")
			}
		}
	}
	if len(ids) == 0 && f["file"] == nil && (isNull(listNode) || (listNode.Kind == yaml.SequenceNode && len(listNode.Content) == 0)) {
		r.add(m, field+".known_ship_to", "required: the known ship-to IDs, as a list or a list file (\"file\")")
	}
	for id := range ids {
		pol.KnownShipTo = append(pol.KnownShipTo, id)
	}
	slices.Sort(pol.KnownShipTo)
}

func (r *nodeReader) priceListParams(f map[string]*yaml.Node, m *yaml.Node, field string, pol *Policy, out *parsed) {
	pol.ThresholdPercent = DefaultThresholdPercent
	if v, ok := r.scalar(f["threshold_percent"], field+".threshold_percent"); ok {
		if d := canonical.Decimal(v); !d.Valid() || strings.HasPrefix(v, "-") {
			r.add(f["threshold_percent"], field+".threshold_percent", "%q: want a percentage from 0, such as 2 or 2.5, without %%", v)
		} else {
			pol.ThresholdPercent = d
		}
	}
	path, ok := r.scalar(f["file"], field+".file")
	if !ok {
		if isNull(resolve(f["file"])) {
			r.add(lineNode(f["file"], m), field+".file", "required: the price list CSV (item, unit_price, uom), relative to this file's folder")
		}
		return
	}
	data, full, ok := r.readRef(f["file"], field+".file", path, "price list", out)
	if !ok {
		return
	}
	pl, err := ReadPriceList(bytes.NewReader(data))
	var bad PriceListErrors
	switch {
	case errors.As(err, &bad):
		for _, e := range bad {
			msg := e.Msg
			if e.Value != "" {
				msg = strconv.Quote(e.Value) + ": " + msg
			}
			r.probs.list = append(r.probs.list, Problem{File: full, Line: e.Line, Field: e.Column, Msg: msg, Err: e})
		}
	case err != nil:
		r.probs.addErr(full, 0, "", "cannot read the price list", err)
	default:
		pl.File = full
		pol.Prices = pl
	}
}

// readRef reads a file named by a policy, relative to the partner file's
// folder, and returns it with its path. The file counts in the Set's
// Version.
func (r *nodeReader) readRef(n *yaml.Node, field, path, what string, out *parsed) ([]byte, string, bool) {
	if path == "" {
		r.add(n, field, "must not be empty: the %s's path, relative to this file's folder", what)
		return nil, "", false
	}
	full := path
	if !filepath.IsAbs(full) {
		full = filepath.Join(filepath.Dir(r.file), path)
	}
	data, err := os.ReadFile(full)
	if err != nil {
		r.probs.addErr(r.file, lineOf(n, 0), field, "cannot read the "+what, err)
		return nil, "", false
	}
	out.refs = append(out.refs, file{full, data})
	return data, full, true
}

func (r *nodeReader) units(n *yaml.Node, field string, pol *Policy) {
	pol.Units = DefaultFractionalUnits()
	if n == nil {
		return
	}
	items := r.list(n, field)
	if isNull(resolve(n)) || (len(items) == 0 && resolve(n).Kind == yaml.SequenceNode) {
		r.add(resolve(n), field, "want at least one unit of measure, such as [EA, CA]; leave the key out for the default [EA]")
		return
	}
	var units []string
	for i, item := range items {
		v, ok := r.scalar(item, index(field, i))
		u := strings.ToUpper(v)
		switch {
		case !ok && !isNull(resolve(item)):
		case u == "" || strings.ContainsAny(u, " \t"):
			r.add(resolve(item), index(field, i), "%q: want a unit of measure code, such as EA", v)
		case slices.Contains(units, u):
			r.add(resolve(item), index(field, i), "%s is listed twice", u)
		default:
			units = append(units, u)
		}
	}
	if len(units) > 0 {
		pol.Units = units
	}
}

// sla reads "sla"; checks are the checks "policies" names.
func (r *nodeReader) sla(n *yaml.Node, p *Partner, checks map[Check]bool) {
	f := r.fields(n, "sla", "max_exception_rate", "max_ack_latency", "max_late_asns")
	s := &p.SLA
	if v, ok := r.scalar(f["max_exception_rate"], "sla.max_exception_rate"); ok {
		d := canonical.Decimal(v)
		if q, valid := ratOf(d); !valid || q.Sign() < 0 || q.Cmp(big.NewRat(1, 1)) > 0 {
			r.add(f["max_exception_rate"], "sla.max_exception_rate", "%q: want a share from 0 to 1, such as 0.05 for 5%%", v)
		} else {
			s.MaxExceptionRate = d
		}
	}
	if v, ok := r.scalar(f["max_ack_latency"], "sla.max_ack_latency"); ok {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			r.add(f["max_ack_latency"], "sla.max_ack_latency", "%q: want a duration above 0, such as 5m, 90s or 1h30m", v)
		} else {
			s.MaxAckLatency = d
		}
	}
	if v, ok := r.scalar(f["max_late_asns"], "sla.max_late_asns"); ok {
		c, err := strconv.Atoi(v)
		if err != nil || c < 0 {
			r.add(f["max_late_asns"], "sla.max_late_asns", "%q: want a number of ship notices from 0", v)
		} else {
			s.MaxLateASNs = &c
			if !checks[CheckLateASN] {
				r.add(f["max_late_asns"], "sla.max_late_asns", "no late_asn policy counts late ship notices: add one, such as {check: late_asn, action: warn, hours: 24}")
			}
		}
	}
}
