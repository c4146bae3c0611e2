package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/edi"
)

// translateResult is the part of translate's output the tests read.
type translateResult struct {
	File         string `json:"file"`
	Status       string `json:"status"`
	Interchanges []struct {
		ControlNumber string `json:"control_number"`
		SenderID      string `json:"sender_id"`
		Status        string `json:"status"`
		Errors        []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
		Groups []struct {
			FunctionalID string `json:"functional_id"`
			Transactions []struct {
				Set    string `json:"set"`
				Status string `json:"status"`
				Errors []struct {
					Segment  string `json:"segment"`
					Position int    `json:"position"`
					Element  int    `json:"element"`
					Code     string `json:"code"`
					Message  string `json:"message"`
				} `json:"errors"`
			} `json:"transactions"`
		} `json:"groups"`
	} `json:"interchanges"`
	Errors []struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
	Documents []map[string]any `json:"documents"`
	Acks      []struct {
		Type string `json:"type"`
		X12  string `json:"x12"`
	} `json:"acknowledgments"`
}

func translate(t *testing.T, args ...string) (int, []translateResult, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"translate"}, args...), &out, &errOut)
	var results []translateResult
	dec := json.NewDecoder(&out)
	for dec.More() {
		var r translateResult
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out.String())
		}
		results = append(results, r)
	}
	return code, results, errOut.String()
}

func writeTemp(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTranslateAccepted(t *testing.T) {
	t.Parallel()
	code, res, stderr := translate(t, "../../examples/850-acme.edi")
	if code != exitOK || len(res) != 1 {
		t.Fatalf("exit %d, %d results, stderr %s", code, len(res), stderr)
	}
	r := res[0]
	if r.Status != "accepted" || len(r.Documents) != 1 || len(r.Acks) != 1 || r.Acks[0].Type != "997" {
		t.Fatalf("result %+v", r)
	}
	if got := r.Documents[0]["order_number"]; got != "4500012345" {
		t.Errorf("order_number %v", got)
	}
	if !strings.Contains(r.Acks[0].X12, "AK1*PO*101~") || !strings.Contains(r.Acks[0].X12, "AK9*A*1*1*1~") {
		t.Errorf("997 %s", r.Acks[0].X12)
	}
}

func TestTranslateBrokenFile(t *testing.T) {
	t.Parallel()
	code, res, _ := translate(t, "../../examples/850-broken.edi")
	if code != exitFail || res[0].Status != "rejected" || len(res[0].Documents) != 0 {
		t.Fatalf("exit %d, status %s, %d documents", code, res[0].Status, len(res[0].Documents))
	}
	tx := res[0].Interchanges[0].Groups[0].Transactions[0]
	codes := map[string]bool{}
	for _, e := range tx.Errors {
		codes[e.Segment+"/"+e.Code] = true
		if e.Message == "" || e.Position == 0 {
			t.Errorf("finding without message or position: %+v", e)
		}
	}
	for _, want := range []string{"SE/4", "BEG/8", "PO1/2"} {
		if !codes[want] {
			t.Errorf("missing %s in %+v", want, tx.Errors)
		}
	}
	if ack := res[0].Acks[0].X12; !strings.Contains(ack, "AK5*R*") || !strings.Contains(ack, "AK9*R*1*1*0~") {
		t.Errorf("997 %s", ack)
	}
}

func TestTranslateNotX12(t *testing.T) {
	t.Parallel()
	p := writeTemp(t, "orders.csv", "order_id,sku,qty\n1001,NW-10021,24\n")
	code, res, _ := translate(t, p)
	if code != exitFail || res[0].Status != "rejected" || len(res[0].Errors) != 1 {
		t.Fatalf("exit %d result %+v", code, res)
	}
	if msg := res[0].Errors[0].Message; !strings.Contains(msg, "not an X12 interchange") || !strings.Contains(msg, "order_id") {
		t.Errorf("message %q", msg)
	}
}

func TestTranslateUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{nil, {"--bogus", "x.edi"}, {"--ack", "998", "x.edi"}, {"--ta1", "sometimes", "x.edi"}, {"does-not-exist.edi"}} {
		if code, _, stderr := translate(t, args...); code != exitUsage || stderr == "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
		}
	}
	if code, _, _ := translate(t, "-h"); code != exitOK {
		t.Errorf("-h: exit %d", code)
	}
}

// TestTranslateRejectedGroupDropsDocuments checks that a group rejected at
// its GE loses its documents while the next interchange keeps its own, and
// that each file prints one line.
func TestTranslateRejectedGroupDropsDocuments(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if _, err := edi.GenerateOrders(&b, &edi.GenerateOpts{Seed: 7, Interchanges: 2, SetsPerGroup: 3}); err != nil {
		t.Fatal(err)
	}
	data := strings.Replace(b.String(), "GE*3*", "GE*4*", 1)
	p := writeTemp(t, "two.edi", data)
	code, res, _ := translate(t, p, "../../examples/850-acme.edi")
	if code != exitFail || len(res) != 2 {
		t.Fatalf("exit %d, %d results", code, len(res))
	}
	r := res[0]
	if r.Status != "partially_accepted" || len(r.Documents) != 3 {
		t.Errorf("status %s with %d documents; want partially_accepted with 3", r.Status, len(r.Documents))
	}
	if res[1].Status != "accepted" {
		t.Errorf("second file %s", res[1].Status)
	}
}

func TestTranslatePrettyIsSameJSON(t *testing.T) {
	t.Parallel()
	var compact, pretty bytes.Buffer
	run(context.Background(), []string{"translate", "../../examples/856-acme.edi"}, &compact, &bytes.Buffer{})
	run(context.Background(), []string{"translate", "--pretty", "../../examples/856-acme.edi"}, &pretty, &bytes.Buffer{})
	var a, b any
	if err := json.Unmarshal(compact.Bytes(), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(pretty.Bytes(), &b); err != nil {
		t.Fatalf("pretty output: %v\n%s", err, pretty.String())
	}
	// Acknowledgments carry the time they were built; compare the rest.
	strip := func(m any) any { delete(m.(map[string]any), "acknowledgments"); return m }
	ja, _ := json.Marshal(strip(a))
	jb, _ := json.Marshal(strip(b))
	if !bytes.Equal(ja, jb) {
		t.Errorf("pretty and compact differ\n%s\n%s", ja, jb)
	}
	if !strings.Contains(pretty.String(), "\n  \"interchanges\": [") {
		t.Errorf("pretty output is not indented:\n%.300s", pretty.String())
	}
}

func TestTranslateStdin(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../examples/850-acme.edi")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w := bufio.NewWriter(&out)
	opts, _ := translateOpts("auto", "on_request")
	st, err := translateFile("-", bytes.NewReader(data), w, false, opts)
	w.Flush()
	if err != nil || st != edi.FileAccepted {
		t.Fatalf("status %s, err %v", st, err)
	}
	var r translateResult
	if err := json.Unmarshal(out.Bytes(), &r); err != nil || r.File != "-" || len(r.Documents) != 1 {
		t.Errorf("result %+v, err %v", r, err)
	}
}

// TestTranslateLongDocuments translates orders whose JSON is longer than
// the spool's read buffer, so each is gathered from several reads.
func TestTranslateLongDocuments(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if _, err := edi.GenerateOrders(&b, &edi.GenerateOpts{Seed: 3, Interchanges: 1, SetsPerGroup: 3, LinesPerSet: 700}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	run(context.Background(), []string{"translate", writeTemp(t, "long.edi", b.String())}, &out, &bytes.Buffer{})
	var r struct {
		Documents []struct {
			Lines []json.RawMessage `json:"lines"`
		} `json:"documents"`
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if len(r.Documents) != 3 {
		t.Fatalf("%d documents, want 3", len(r.Documents))
	}
	for i, d := range r.Documents {
		if len(d.Lines) != 700 {
			t.Errorf("document %d has %d lines, want 700", i, len(d.Lines))
		}
	}
	if len(out.Bytes()) < 3*(64<<10) {
		t.Errorf("output is %d bytes; the documents must each exceed the 64 KiB read buffer", out.Len())
	}
}
