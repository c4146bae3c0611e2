package canonical

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Item identifies a product. Named fields hold the identifiers consumers look
// for first; IDs holds every product identifier the partner sent with its
// qualifier (X12 element 235: "UP", "VN", "BP", "SK" …), in the order sent.
type Item struct {
	BuyerItem   string `json:"buyer_item,omitempty"`  // BP, IN, PI, CB
	VendorItem  string `json:"vendor_item,omitempty"` // VN, VP, VC
	UPC         string `json:"upc,omitempty"`         // UP
	GTIN        string `json:"gtin,omitempty"`        // UK, EN
	CaseUPC     string `json:"case_upc,omitempty"`    // UA, W0103, W1206
	SKU         string `json:"sku,omitempty"`         // SK
	Description string `json:"description,omitempty"` // PID05, G6901
	Lot         string `json:"lot,omitempty"`         // LT, W0113, W1209
	// IDs maps qualifier to value for every product identifier sent.
	IDs ProductIDs `json:"ids,omitempty"`
}

// ProductID is one qualified product identifier.
type ProductID struct {
	Qualifier string
	Value     string
}

// ProductIDs is an ordered set of product identifiers, at most one per
// qualifier. In JSON it is an object mapping qualifier to value, written in
// order: {"UP": "012345678905", "VN": "KT-100"}.
type ProductIDs []ProductID

// Get returns the value of qualifier q.
func (p ProductIDs) Get(q string) (string, bool) {
	for _, id := range p {
		if id.Qualifier == q {
			return id.Value, true
		}
	}
	return "", false
}

// Set gives qualifier q the value v, appending it when q is new.
func (p *ProductIDs) Set(q, v string) {
	for i := range *p {
		if (*p)[i].Qualifier == q {
			(*p)[i].Value = v
			return
		}
	}
	*p = append(*p, ProductID{Qualifier: q, Value: v})
}

// MarshalJSON writes the identifiers as one JSON object, in order.
func (p ProductIDs) MarshalJSON() ([]byte, error) {
	if p == nil {
		return []byte("null"), nil
	}
	var e encoder
	e.productIDs(p)
	return e.b, nil
}

// UnmarshalJSON reads a JSON object of string values, keeping its order; a
// repeated qualifier keeps its first value.
func (p *ProductIDs) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		*p = nil
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errors.New("canonical: ids must be an object of qualifier to value")
	}
	out := ProductIDs{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return err
		}
		var v string
		if err := dec.Decode(&v); err != nil {
			return err
		}
		q := kt.(string)
		if _, dup := out.Get(q); !dup {
			out = append(out, ProductID{Qualifier: q, Value: v})
		}
	}
	*p = out
	return nil
}
