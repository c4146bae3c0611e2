package edi

import (
	"bytes"
	"strings"

	"github.com/partnergate/partnergate/canonical"
)

// map856 translates an 856 Ship Notice/Manifest into a shipment of kind
// ship_notice.
//
//	BSN01 purpose, BSN02 shipment_id, BSN03/BSN04 ship_date and ship_time
//	unless a DTM*011 gives them · DTM*017 estimated_delivery_date · CTT02
//	total_quantity.
//
// The HL tree is built from HL01/HL02. An HL whose HL02 is empty (or names no
// earlier HL) hangs from the most recent HL of a level that can be its parent:
// O under S; T under O or S; P under T, O or S; I under P, T, O or S — except
// that when BSN05 is 0002 (items before packs) a P may hang from an I and an
// I never from a P. The tree is then flattened:
//
//   - S level: TD1 (TD102 package_count, TD107/08 total_weight, weight_uom),
//     TD5 carrier (TD503 scac, TD504 mode, TD505 routing, TD512 service), FOB01
//     carrier.payment_method, REF (BM bol, CN pro, 2I tracking_numbers, the
//     rest references), DTM as above.
//   - O level: PRF01 is the order number of every line below it and is listed
//     once in order_numbers; REF as at S level.
//   - T (pallet) and P (carton) levels: one package each, with MAN GM sscc,
//     MAN CP or REF 2I tracking_number, TD1 (or PO406/07) weight.
//   - I level: one line each, with LIN01 line_number, LIN02/03 … LIN30/31
//     product IDs, SN102 quantity_shipped, SN103 uom, SN105 quantity_ordered,
//     SN108 status, PID05 description, REF references.
//
// A line is listed (by index) in the package nearest above it; a package
// directly below an item (BSN05 0002) lists that item. N1 loops at any level
// are parties of the shipment.
func (tr *Translator) map856(t *Transaction) error {
	body := t.Body()
	c := tr.census(body, "LIN", 2, 15)
	m := &tr.m
	m.init("856", body, c)
	sh := tr.newShipment(c)
	canonHeader(&sh.Header, t, canonical.TypeShipment, canonical.KindShipNotice)
	tree := &tr.tree
	if c != nil {
		nHL, nPacks := countHL(body)
		if nPacks > 0 {
			sh.Packages = make([]canonical.Package, 0, nPacks)
		}
		tree.reset(nHL, c.lines)
	} else {
		tree.reset(0, 0)
	}
	orders := orderNumberSet{list: &sh.OrderNumbers}
	var (
		cur     = -1 // the open HL, -1 in the heading
		level   byte // its level code
		line    *canonical.ShipmentLine
		parties partyCursor
		sawBSN  bool
		sawDTM  bool // a DTM*011 set the ship date
	)
	for i := range body {
		s := &body[i]
		switch string(s.Tag()) {
		case "N2":
			m.at(s)
			parties.n2(m)
		case "N3":
			m.at(s)
			parties.n3(m)
		case "N4":
			m.at(s)
			parties.n4(m)
		case "BSN":
			m.at(s)
			sawBSN = true
			sh.Purpose = purposeFromX12(m.str(1))
			sh.ShipmentID = m.str(2)
			if !sawDTM {
				sh.ShipDate, sh.ShipTime = m.date(3), m.time(4)
			}
			tree.itemPacks = m.str(5) == "0002"
		case "HL":
			m.at(s)
			cur = tree.add(m)
			level = tree.nodes[cur].level
			parties.reset()
			line = hlOpen(sh, tree, cur)
		case "DTM":
			m.at(s)
			if cur < 0 || level == 'S' {
				switch m.str(1) {
				case "011":
					sawDTM = true
					sh.ShipDate, sh.ShipTime = m.date(2), m.time(3)
				case "017":
					sh.EstimatedDeliveryDate = m.date(2)
				}
			}
		case "LIN":
			m.at(s)
			if line != nil {
				m.lin(line)
			}
		case "SN1":
			m.at(s)
			if line != nil {
				line.QuantityShipped = m.decimal(2)
				line.UOM = m.str(3)
				line.QuantityOrdered = m.decimal(5)
				line.Status = m.str(8)
			}
		case "PID":
			m.at(s)
			if line != nil && line.Item.Description == "" {
				line.Item.Description = m.str(5)
			}
		case "PRF":
			m.at(s)
			if cur >= 0 {
				n := orders.add(m.str(1))
				tree.nodes[cur].order = n
				if line != nil {
					line.OrderNumber = n
				}
			}
		case "REF":
			m.at(s)
			switch {
			case line != nil:
				m.ref(&line.References)
			case isPackLevel(level):
				p := &sh.Packages[tree.nodes[cur].pkg]
				if m.str(1) == "2I" && p.TrackingNumber == "" {
					p.TrackingNumber = m.str(2)
				} else {
					m.ref(&sh.References)
				}
			default:
				m.shipmentRef(sh)
			}
		case "MAN":
			m.at(s)
			if isPackLevel(level) {
				m.manPackage(sh, tree.nodes[cur].pkg)
			}
		case "TD1":
			m.at(s)
			m.td1(sh, tree, cur, level)
		case "PO4":
			m.at(s)
			if isPackLevel(level) {
				if p := &sh.Packages[tree.nodes[cur].pkg]; p.Weight == "" {
					p.Weight, p.WeightUOM = m.decimal(6), m.str(7)
				}
			}
		case "TD5":
			m.at(s)
			if cur < 0 || level == 'S' {
				m.td5(&sh.Carrier)
			}
		case "FOB":
			m.at(s)
			if (cur < 0 || level == 'S') && sh.Carrier.PaymentMethod == "" {
				sh.Carrier.PaymentMethod = m.str(1)
			}
		case "N1":
			m.at(s)
			parties.n1(m, &sh.Parties)
		case "CTT":
			m.at(s)
			sh.TotalQuantity = m.decimal(2)
		}
	}
	fillPackageLines(sh, tree.packed)
	if !sawBSN {
		m.missing("BSN")
	}
	return m.finish()
}

// hlOpen creates the package or line an HL stands for and returns the line
// of an item level, else nil.
func hlOpen(sh *canonical.Shipment, tree *hlTree, cur int) *canonical.ShipmentLine {
	n := &tree.nodes[cur]
	switch {
	case isPackLevel(n.level):
		sh.Packages = append(sh.Packages, canonical.Package{Pallet: n.level == 'T'})
		n.pkg = len(sh.Packages) - 1
		if n.parent >= 0 {
			if p := &tree.nodes[n.parent]; p.line >= 0 {
				tree.packed = append(tree.packed, packedLine{n.pkg, p.line})
			}
		}
		n.line = -1
	case n.level == 'I':
		grow(&sh.Lines).OrderNumber = n.order
		n.line = len(sh.Lines) - 1
		if n.pkg >= 0 {
			tree.packed = append(tree.packed, packedLine{n.pkg, n.line})
		}
		return &sh.Lines[n.line]
	default:
		n.line = -1
	}
	return nil
}

// packedLine records that a package holds a line.
type packedLine struct{ pkg, line int }

// fillPackageLines sets each package's Lines from the records, in record
// order, carving all of them from one array.
func fillPackageLines(sh *canonical.Shipment, packed []packedLine) {
	if len(packed) == 0 {
		return
	}
	ends := make([]int, len(sh.Packages))
	for _, pl := range packed {
		ends[pl.pkg]++
	}
	for p := 1; p < len(ends); p++ {
		ends[p] += ends[p-1]
	}
	all := make([]int, len(packed))
	for i := len(packed) - 1; i >= 0; i-- {
		pl := packed[i]
		ends[pl.pkg]--
		all[ends[pl.pkg]] = pl.line
	}
	for p := range sh.Packages {
		start, end := ends[p], len(all)
		if p+1 < len(ends) {
			end = ends[p+1]
		}
		if end > start {
			sh.Packages[p].Lines = all[start:end:end]
		}
	}
}

// lin maps LIN01 and up to fifteen product ID pairs.
func (m *canonMapper) lin(l *canonical.ShipmentLine) {
	l.LineNumber = m.str(1)
	ib := newItemBuilder(&l.Item)
	ib.pairs(m, 2, 15)
}

// td1 maps a TD1: shipment totals at S level, a package weight at T or P.
func (m *canonMapper) td1(sh *canonical.Shipment, tree *hlTree, cur int, level byte) {
	switch {
	case level == 'S':
		if sh.PackageCount == 0 {
			sh.PackageCount = m.integer(2)
		}
		if sh.TotalWeight == "" {
			sh.TotalWeight, sh.WeightUOM = m.decimal(7), m.str(8)
		}
	case isPackLevel(level):
		if p := &sh.Packages[tree.nodes[cur].pkg]; p.Weight == "" {
			p.Weight, p.WeightUOM = m.decimal(7), m.str(8)
		}
	}
}

// countHL counts the HL segments of body and those of a T or P level.
func countHL(body []Segment) (hl, packs int) {
	for i := range body {
		if s := &body[i]; string(s.Tag()) == "HL" {
			hl++
			if lv := bytes.TrimRight(s.Element(3), " "); len(lv) == 1 && isPackLevel(lv[0]) {
				packs++
			}
		}
	}
	return hl, packs
}

// isPackLevel reports whether an HL level is a package: T (tare) or P (pack).
func isPackLevel(level byte) bool { return level == 'P' || level == 'T' }

// hlNode is one HL of an 856, with what its descendants inherit.
type hlNode struct {
	id     string // HL01
	level  byte   // HL03 when it is one character, else 0
	parent int    // index in hlTree.nodes, -1 at the top
	order  string // order number in scope
	pkg    int    // package in scope, -1 when none
	line   int    // line of an item level, -1 otherwise
}

// hlTree resolves HL parents.
type hlTree struct {
	nodes []hlNode
	// last is the most recent node of each level, by hlLevels position.
	last [len(hlLevels)]int
	// byID indexes nodes by HL01 once IDs are not simply 1, 2, 3 …
	byID map[string]int
	// packed lists which package holds which line, in document order.
	packed []packedLine
	// itemPacks allows an item as the plausible parent of a pack (BSN05 0002).
	itemPacks bool
}

// hlLevels are the level codes (HL03) the map knows.
const hlLevels = "SOTPI"

// reset empties the tree for the next set, with room for at least nodes
// HLs and lines packed lines.
func (h *hlTree) reset(nodes, lines int) {
	if cap(h.nodes) < nodes {
		h.nodes = make([]hlNode, 0, nodes)
	}
	if cap(h.packed) < lines {
		h.packed = make([]packedLine, 0, lines)
	}
	*h = hlTree{nodes: h.nodes[:0], packed: h.packed[:0]}
	for i := range h.last {
		h.last[i] = -1
	}
}

// add appends the node of the current segment, an HL, and returns its
// index.
func (h *hlTree) add(m *canonMapper) int {
	n := hlNode{id: m.str(1), parent: -1, pkg: -1, line: -1}
	if lv := m.str(3); len(lv) == 1 {
		n.level = lv[0]
	}
	if pid := m.str(2); len(pid) > 0 {
		n.parent = h.find(pid)
	}
	if n.parent < 0 && n.level != 'S' {
		n.parent = h.plausibleParent(n.level)
	}
	if n.parent >= 0 {
		p := &h.nodes[n.parent]
		n.order, n.pkg = p.order, p.pkg
	}
	h.nodes = append(h.nodes, n)
	idx := len(h.nodes) - 1
	if k := strings.IndexByte(hlLevels, n.level); k >= 0 && n.level != 0 {
		h.last[k] = idx
	}
	if h.byID != nil {
		h.byID[n.id] = idx
	}
	return idx
}

// find returns the node whose HL01 is id, or -1. IDs are normally 1, 2, 3 …
// so node k-1 is tried first.
func (h *hlTree) find(id string) int {
	if k, ok := smallNumber(id); ok && k >= 1 && k <= len(h.nodes) && h.nodes[k-1].id == id {
		return k - 1
	}
	if h.byID == nil {
		h.byID = make(map[string]int, cap(h.nodes))
		for i := range h.nodes {
			h.byID[h.nodes[i].id] = i
		}
	}
	if i, ok := h.byID[id]; ok {
		return i
	}
	return -1
}

// plausibleParent returns the most recent node of a level that may hold
// level, or -1.
func (h *hlTree) plausibleParent(level byte) int {
	var parents string
	switch level {
	case 'O':
		parents = "S"
	case 'T':
		parents = "OS"
	case 'P':
		parents = "TOS"
		if h.itemPacks {
			parents = "ITOS"
		}
	case 'I':
		parents = "PTOS"
		if h.itemPacks {
			parents = "TOS"
		}
	default:
		parents = hlLevels
	}
	best := -1
	for i := 0; i < len(parents); i++ {
		if k := h.last[strings.IndexByte(hlLevels, parents[i])]; k > best {
			best = k
		}
	}
	return best
}

// smallNumber parses up to nine ASCII digits.
func smallNumber(b string) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range []byte(b) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
