package canonical

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// jsonStrings are values whose JSON encoding has an edge: escapes, control
// characters, HTML characters (left as they are), invalid UTF-8, the
// JavaScript line separators and multi-byte characters.
var jsonStrings = []string{
	"", "A", "850", "12.50", "ACME \"WEST\" DC", `back\slash`, "a\nb\r\tc", "\b\f\x00\x01\x1f\x7f",
	"<b>&amp;</b>", "caf\u00e9", "\u2028\u2029", "\xff", "ok\xe2\x80", "\xed\xa0\x80", "日本語",
	"\U0001F4E6 box", strings.Repeat("LONG VALUE ", 20),
}

// fill gives every exported field reachable from v a value from r: strings
// from jsonStrings or extra, numbers, booleans, and slices that are nil,
// empty or hold up to three elements. A field added to a canonical type is
// thus filled too, and AppendJSON must write it as encoding/json does.
func fill(r *rand.Rand, v reflect.Value, extra string) {
	switch v.Kind() {
	case reflect.String:
		if r.IntN(4) == 0 {
			v.SetString(extra)
		} else {
			v.SetString(jsonStrings[r.IntN(len(jsonStrings))])
		}
	case reflect.Int:
		v.SetInt([]int64{0, 0, 1, 7, -3, 1 << 40}[r.IntN(6)])
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Slice:
		switch n := r.IntN(6); n {
		case 0, 1:
			v.Set(reflect.Zero(v.Type()))
		default:
			s := reflect.MakeSlice(v.Type(), n-2, n-2)
			for i := range s.Len() {
				fill(r, s.Index(i), extra)
			}
			v.Set(s)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && r.IntN(5) != 0 {
				fill(r, v.Field(i), extra)
			}
		}
	default:
		panic("fill: no case for " + v.Kind().String())
	}
}

// randomDocument returns an order, shipment or return with fields filled
// at random from seed.
func randomDocument(seed uint64, extra string) Document {
	r := rand.New(rand.NewPCG(seed, seed>>32|1))
	docs := []Document{new(Order), new(Shipment), new(Return)}
	doc := docs[r.IntN(len(docs))]
	fill(r, reflect.ValueOf(doc).Elem(), extra)
	return doc
}

// encodingJSON is what AppendJSON must match: encoding/json with HTML
// escaping off, without the Encoder's newline.
func encodingJSON(t testing.TB, doc Document) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func checkAppendJSON(t testing.TB, doc Document) {
	t.Helper()
	want := encodingJSON(t, doc)
	got := AppendJSON([]byte("prefix"), doc)
	if !bytes.HasPrefix(got, []byte("prefix")) {
		t.Fatalf("AppendJSON dropped what b held: %q", got)
	}
	if got = got[len("prefix"):]; !bytes.Equal(got, want) {
		t.Fatalf("AppendJSON differs from encoding/json\n got: %s\nwant: %s", got, want)
	}
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	for seed := range uint64(3000) {
		checkAppendJSON(t, randomDocument(seed, "x"))
	}
}

func TestAppendJSONEdges(t *testing.T) {
	for _, doc := range []Document{
		sampleOrder(), sampleShipment(), sampleReturn(),
		NewOrder(KindPurchaseOrder),
		NewShipment(KindShipNotice),
		&Return{Header: newHeader(TypeReturn, KindReturnReceipt), Lines: []ReturnLine{}},
		// Empty but non-nil slices make omitzero structs non-zero.
		&Order{Carrier: Carrier{TrackingNumbers: []string{}}, Header: Header{Parties: []Party{{Address: Address{Lines: []string{}}}}}},
		&Shipment{Packages: []Package{{Lines: []int{}}, {Pallet: true, Lines: []int{0, 3}}}},
		&Order{Lines: []OrderLine{{Item: Item{IDs: ProductIDs{}}}, {Item: Item{IDs: ProductIDs{{"UP", "0\"1"}, {"", ""}}}}}},
	} {
		checkAppendJSON(t, doc)
	}
	if got := string(AppendJSON(nil, nil)); got != "null" {
		t.Errorf("AppendJSON(nil) = %s, want null", got)
	}
}

// FuzzAppendJSON puts the fuzzer's string into random fields of a random
// document and compares AppendJSON with encoding/json.
func FuzzAppendJSON(f *testing.F) {
	for i, s := range jsonStrings {
		f.Add(uint64(i), s)
	}
	f.Fuzz(func(t *testing.T, seed uint64, s string) {
		checkAppendJSON(t, randomDocument(seed, s))
	})
}

// The benchmarks encode sampleOrder, a two-line order of plain ASCII.

func BenchmarkAppendJSON(b *testing.B) {
	doc := sampleOrder()
	b.SetBytes(int64(len(AppendJSON(nil, doc))))
	var buf []byte
	for b.Loop() {
		buf = AppendJSON(buf[:0], doc)
	}
}

func BenchmarkEncodingJSON(b *testing.B) {
	doc := sampleOrder()
	b.SetBytes(int64(len(AppendJSON(nil, doc))))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for b.Loop() {
		buf.Reset()
		if err := enc.Encode(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPlainWord puts every byte value at every position of an otherwise
// plain word, and next to a byte that borrows, and compares plainWord with
// a byte loop.
func TestPlainWord(t *testing.T) {
	plain := func(w []byte) bool {
		for _, c := range w {
			if c < 0x20 || c >= 0x80 || c == '"' || c == '\\' {
				return false
			}
		}
		return true
	}
	for _, fill := range []byte{' ', 'A', '~', 0x7f, '!'} {
		for pos := range 8 {
			for c := range 256 {
				w := bytes.Repeat([]byte{fill}, 8)
				w[pos] = byte(c)
				if pos > 0 {
					w[pos-1] = 0x1f
				}
				for _, word := range [][]byte{w, bytes.Repeat([]byte{fill}, 8)} {
					word[pos] = byte(c)
					if got := plainWord(binary.LittleEndian.Uint64(word)); got != plain(word) {
						t.Fatalf("plainWord(%q) = %v", word, got)
					}
				}
			}
		}
	}
}
