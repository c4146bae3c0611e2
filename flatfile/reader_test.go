package flatfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/partnergate/partnergate/canonical"
)

// readAll reads data by p and returns the results and the error that ended
// reading (nil at io.EOF).
func readAll(t *testing.T, data []byte, p *Profile) ([]*DocResult, error) {
	t.Helper()
	rd, err := NewReader(bytes.NewReader(data), p)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	var out []*DocResult
	for {
		res, err := rd.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, res)
	}
}

// summary renders results as "key:status" and every error, one per line.
func summary(results []*DocResult, err error) string {
	var b strings.Builder
	for _, r := range results {
		b.WriteString(r.Key + ":" + string(r.Status) + "\n")
		for _, e := range r.Errors {
			b.WriteString("  " + e.Error() + "\n")
		}
	}
	if err != nil {
		b.WriteString("! " + err.Error() + "\n")
	}
	return b.String()
}

const shipHeader = "Shipment,Order,Ship Date,Carrier,Tracking,SKU,Qty\n"

func TestReader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(p *Profile)
		data   string
		want   string
	}{
		{"grouping", nil, shipHeader +
			"S1,PO1,2025-03-01,UPS Ground,1Z1,A,2\n" +
			"S1,PO1,2025-03-01,UPS Ground,1Z2,B,3\n" +
			"S2,PO2,03/02/2025,fedex,9,C,1\n",
			"S1:accepted\nS2:accepted\n"},
		{"quoted delimiters and newlines", nil, shipHeader +
			"S1,\"PO,1\",2025-03-01,UPS Ground,1Z1,\"A\nB\",\"1,000\"\n" +
			"S2,PO2,2025-03-01,FedEx,9,C,1\n",
			"S1:accepted\nS2:accepted\n"},
		{"ragged row", nil, shipHeader +
			"S1,PO1,2025-03-01,UPS Ground,1Z1,A,2\n" +
			"S1,PO1,2025-03-01,UPS Ground,1Z1,A\n" +
			"S2,PO2,2025-03-01,FedEx,9,C,1,extra\n",
			"S1:rejected\n  row 3: wrong number of columns: 6 columns, want 7\n" +
				"S2:rejected\n  row 4: wrong number of columns: 8 columns, want 7\n"},
		{"empty file", nil, "", "! file: the file is empty\n"},
		{"header only", nil, shipHeader, "! file: the file has no data rows\n"},
		{"missing columns", nil, "Shipment,Order,Carrier,SKU\nS1,PO1,UPS Ground,A\n",
			"! row 1: missing columns \"Ship Date\", \"Tracking\", \"Qty\" (the header has 4 columns: Shipment, Order, Carrier, SKU)\n"},
		{"a mapped column named twice", nil, "Shipment,Order,Ship Date,Carrier,Tracking,SKU,Qty,qty\nS1,PO1,2025-03-01,FedEx,1,A,1,2\n",
			"! row 1, column \"Qty\": column named twice in the header\n"},
		{"bad values", nil, shipHeader +
			"S1,PO1,2025-13-01,DHL,1Z1,A,1.5.0\n",
			"S1:rejected\n" +
				"  row 2, column \"Ship Date\": not a date in the expected format (YYYY-MM-DD or MM/DD/YYYY): \"2025-13-01\"\n" +
				"  row 2, column \"Carrier\": value not in the profile's value map: \"DHL\"\n" +
				"  row 2, column \"Qty\": not a number: \"1.5.0\"\n"},
		{"required and missing key", func(p *Profile) { p.Required = []Field{FieldLineSKU} }, shipHeader +
			",PO1,2025-03-01,FedEx,1,A,1\n" +
			"S1,PO1,2025-03-01,FedEx,1,,1\n",
			":rejected\n  row 2, column \"Shipment\": required value missing\n" +
				"S1:rejected\n  row 3, column \"SKU\": required value missing\n"},
		{"conflict", nil, shipHeader +
			"S1,PO1,2025-03-01,FedEx,1,A,1\n" +
			"S1,PO1,2025-03-02,FedEx,1,A,1\n",
			"S1:rejected\n  row 3, column \"Ship Date\": differs from the document's first row (row 2 has \"2025-03-01\"): \"2025-03-02\"\n"},
		{"not adjacent", nil, shipHeader +
			"S1,PO1,2025-03-01,FedEx,1,A,1\n" +
			"S2,PO1,2025-03-01,FedEx,1,A,1\n" +
			"S1,PO1,2025-03-01,FedEx,1,A,1\n",
			"S1:accepted\nS2:accepted\nS1:rejected\n  row 4, column \"Shipment\": rows of this document are not consecutive: its rows start at row 2: \"S1\"\n"},
		{"bare quote stops reading", nil, shipHeader +
			"S1,PO1,2025-03-01,FedEx,1,A,1\n" +
			"S2,PO1,2025-03-01,FedEx,1,A\"x,1\n",
			"S1:rejected\n  row 3: document cut short: the file cannot be read past this row\n! row 3: malformed CSV: bare \" in non-quoted-field\n"},
		{"skip and trailer", func(p *Profile) { p.Dialect.Skip, p.Dialect.Trailer = 2, 1 },
			"EXPORT v2\n\n" + shipHeader + "S1,PO1,2025-03-01,FedEx,1,A,1\nTOTAL,1\n",
			"S1:accepted\n"},
		{"skip counts rows", func(p *Profile) { p.Dialect.Skip = 1 },
			"EXPORT\n" + shipHeader + "S1,PO1,2025-03-01,FedEx,1,A,x\n",
			"S1:rejected\n  row 3, column \"Qty\": not a number: \"x\"\n"},
		{"semicolon and decimal comma", func(p *Profile) { p.Dialect.Delimiter, p.Dialect.DecimalComma = ';', true },
			strings.ReplaceAll(shipHeader, ",", ";") + "S1;PO1;2025-03-01;FedEx;1;A;1.000,5\n",
			"S1:accepted\n"},
		{"single quote", func(p *Profile) { p.Dialect.Quote = '\'' },
			shipHeader + "S1,'PO \"1\", x',2025-03-01,FedEx,1,'it''s',1\n",
			"S1:accepted\n"},
		{"invalid utf-8", nil, shipHeader + "S1,PO1,2025-03-01,FedEx,1,Caf\xe9,1\n",
			"S1:rejected\n  row 2, column \"SKU\": not valid UTF-8; check the profile's encoding: \"Caf\\xe9\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := shipProfile()
			if tt.change != nil {
				tt.change(p)
			}
			got := summary(readAll(t, []byte(tt.data), p))
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestReaderShipment(t *testing.T) {
	t.Parallel()
	data := "\ufeff" + shipHeader +
		"S1,PO1,03/01/2025,UPS Ground,1Z1,A,2\n" +
		"S1,PO2,,ups ground,1Z2,\"B, blue\",\"1,250.5\"\n"
	res, err := readAll(t, []byte(data), shipProfile())
	if err != nil || len(res) != 1 || res[0].Status != StatusAccepted {
		t.Fatalf("%s", summary(res, err))
	}
	s := res[0].Doc.(*canonical.Shipment)
	got, _ := json.Marshal(s)
	want := `{"schema":"canonical/v1","type":"shipment","kind":"ship_notice","source":{"format":"csv"},` +
		`"shipment_id":"S1","ship_date":"2025-03-01","order_numbers":["PO1","PO2"],` +
		`"carrier":{"scac":"UPSN","tracking_numbers":["1Z1","1Z2"]},"lines":[` +
		`{"line_number":"1","item":{"sku":"A"},"quantity_shipped":"2","uom":"EA"},` +
		`{"line_number":"2","item":{"sku":"B, blue"},"quantity_shipped":"1250.5","uom":"EA"}]}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if res[0].Row != 2 || res[0].LastRow != 3 {
		t.Errorf("rows %d-%d, want 2-3", res[0].Row, res[0].LastRow)
	}
}

func returnProfile() *Profile {
	return &Profile{
		Name: "returns", Pattern: "RET_*.csv", DocType: "return", Encoding: "windows-1252",
		Dialect: Dialect{Delimiter: ';', NoHeader: true, DecimalComma: true},
		Columns: map[Field]Source{
			FieldRMANumber: {Pos: 1}, FieldOriginalOrder: {Pos: 2}, FieldReceivedDate: {Pos: 3},
			FieldLineDescription: {Pos: 4}, FieldLineQuantity: {Pos: 5},
			FieldLineCondition: {Pos: 6}, FieldLineDisposition: {Pos: 6}, FieldLineReason: {Pos: 7},
		},
		Group:       FieldRMANumber,
		DateFormats: []string{"DD.MM.YYYY"},
		ValueMaps:   map[Field]map[string]string{FieldLineDisposition: {"A": "restock", "B": "scrap"}},
		Defaults:    map[Field]string{FieldLineUOM: "EA", FieldLineReason: "unspecified"},
	}
}

func TestReaderReturnWindows1252(t *testing.T) {
	t.Parallel()
	text := "R1;PO9;02.04.2025;Crème brûlée Töpfe;2,5;A;damaged\nR1;PO9;;Müsli Schüssel;1;B;\n"
	data, err := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(data, []byte(text)) {
		t.Fatal("the encoded file is UTF-8")
	}
	res, err := readAll(t, data, returnProfile())
	if err != nil || len(res) != 1 || res[0].Status != StatusAccepted {
		t.Fatalf("%s", summary(res, err))
	}
	r := res[0].Doc.(*canonical.Return)
	got, _ := json.Marshal(r)
	want := `{"schema":"canonical/v1","type":"return","kind":"return_receipt","source":{"format":"csv"},` +
		`"rma_number":"R1","order_number":"PO9","received_date":"2025-04-02","lines":[` +
		`{"line_number":"1","item":{"description":"Crème brûlée Töpfe"},"quantity":"2.5","uom":"EA","reason":"damaged","condition":"A","disposition":"restock"},` +
		`{"line_number":"2","item":{"description":"Müsli Schüssel"},"quantity":"1","uom":"EA","reason":"unspecified","condition":"B","disposition":"scrap"}]}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestReaderOrderISO88591(t *testing.T) {
	t.Parallel()
	p := &Profile{
		Name: "orders", Pattern: "*.csv", DocType: "order", Encoding: "iso-8859-1",
		Columns: map[Field]Source{
			FieldOrderNumber: {Name: "order-id"}, FieldOrderDate: {Name: "purchase-date"},
			FieldShipToName: {Name: "recipient-name"}, FieldShipToAddress1: {Name: "ship-address-1"},
			FieldShipToCity: {Name: "ship-city"}, FieldShipToPostalCode: {Name: "ship-postal-code"},
			FieldShipToCountry: {Name: "ship-country"}, FieldLineSKU: {Name: "sku"},
			FieldLineQuantity: {Name: "quantity-purchased"}, FieldLineUnitPrice: {Name: "item-price"},
		},
		Group:       FieldOrderNumber,
		Dialect:     Dialect{Delimiter: '\t'},
		DateFormats: []string{"2006-01-02T15:04:05Z07:00"},
		Defaults:    map[Field]string{FieldCurrency: "EUR"},
	}
	text := "order-id\tpurchase-date\trecipient-name\tship-address-1\tship-city\tship-postal-code\tship-country\tsku\tquantity-purchased\titem-price\n" +
		"111-1\t2025-03-01T10:00:00+01:00\tJosé Müller\tRue de l'Église 4\tGenève\t1204\tCH\tK-1\t1\t19.90\n"
	data, _ := charmap.ISO8859_1.NewEncoder().Bytes([]byte(text))
	res, err := readAll(t, data, p)
	if err != nil || len(res) != 1 || res[0].Status != StatusAccepted {
		t.Fatalf("%s", summary(res, err))
	}
	o := res[0].Doc.(*canonical.Order)
	if o.Parties[0].Name != "José Müller" || o.Parties[0].Address.City != "Genève" || o.Currency != "EUR" ||
		o.OrderDate != "2025-03-01" || o.Lines[0].UnitPrice != "19.90" {
		t.Errorf("order %+v", o)
	}
}

func TestProcessOnError(t *testing.T) {
	t.Parallel()
	data := shipHeader +
		"S1,PO1,2025-03-01,FedEx,1,A,1\n" +
		"S2,PO1,2025-03-01,FedEx,1,A,x\n" +
		"S3,PO1,2025-03-01,FedEx,1,A,1\n"
	tests := []struct {
		onError string
		want    string
	}{
		{OnErrorRejectDocument, "Shipment,row,status,error\r\nS1,2,accepted,\r\nS2,3,rejected,\"row 3, column \"\"Qty\"\": not a number: \"\"x\"\"\"\r\nS3,4,accepted,\r\n"},
		{OnErrorRejectFile, "Shipment,row,status,error\r\nS1,2,rejected,row 2: rejected with the file: another row has an error\r\n" +
			"S2,3,rejected,\"row 3, column \"\"Qty\"\": not a number: \"\"x\"\"\"\r\nS3,4,rejected,row 4: rejected with the file: another row has an error\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.onError, func(t *testing.T) {
			t.Parallel()
			p := shipProfile()
			p.OnError = tt.onError
			var out bytes.Buffer
			rw := NewResultWriter(&out, p)
			var docs []canonical.Document
			s, err := Process(strings.NewReader(data), p, func(res *DocResult) error {
				if res.Doc != nil {
					docs = append(docs, res.Doc)
				}
				return rw.Write(res)
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := rw.Flush(); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want {
				t.Errorf("result file\n%s\nwant\n%s", out.String(), tt.want)
			}
			if s.Documents != 3 || s.Accepted != len(docs) || s.Rows != 3 {
				t.Errorf("summary %+v with %d documents", s, len(docs))
			}
		})
	}
}

func TestWriteResultFileError(t *testing.T) {
	t.Parallel()
	p := shipProfile()
	var results []*DocResult
	s, err := Process(strings.NewReader("Shipment,SKU\n"), p, func(r *DocResult) error { results = append(results, r); return nil })
	if err != nil || s.FileError == nil || !errors.Is(s.FileError, ErrMissingColumn) {
		t.Fatalf("Process = %+v, %v", s, err)
	}
	var out bytes.Buffer
	if err := WriteResult(&out, p, results, s.FileError); err != nil {
		t.Fatal(err)
	}
	want := "Shipment,row,status,error\r\n,1,rejected,\"row 1: missing columns \"\"Carrier\"\", \"\"Order\"\", \"\"Ship Date\"\", \"\"Tracking\"\", \"\"Qty\"\" (the header has 2 columns: Shipment, SKU)\"\r\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

func TestWriteRejected(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	rw := NewResultWriter(&out, shipProfile())
	for _, row := range []int{7, 0} {
		if err := rw.WriteRejected("SC-1", row, "rejected on review, twice"); err != nil {
			t.Fatal(err)
		}
	}
	if err := rw.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "Shipment,row,status,error\r\nSC-1,7,rejected,\"rejected on review, twice\"\r\nSC-1,,rejected,\"rejected on review, twice\"\r\n"
	if out.String() != want {
		t.Errorf("got\n%q\nwant\n%q", out.String(), want)
	}
}
