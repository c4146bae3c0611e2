package ingest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/partnergate/partnergate/gateway/dbtest"
	"github.com/partnergate/partnergate/gateway/gatewaytest"
	"github.com/partnergate/partnergate/gateway/ingest"
	"github.com/partnergate/partnergate/gateway/store"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

type bundle struct {
	env *gatewaytest.Env
	ctx context.Context
}

func setup(t *testing.T, ps ...gatewaytest.Partner) *bundle {
	t.Helper()
	return &bundle{env: gatewaytest.Start(t, ps...), ctx: context.Background()}
}

// send receives data from partner and waits for its first processing run.
func (b *bundle) send(t *testing.T, partner, data string) *store.File {
	t.Helper()
	f, err := b.env.App.Pipeline.Receive(b.ctx, &ingest.ReceiveParams{PartnerID: partner, Channel: "api",
		Filename: "test.edi", Body: strings.NewReader(data)})
	if err != nil {
		t.Fatal(err)
	}
	return b.env.WaitProcessed(t, f.ID, 1)
}

func (b *bundle) documents(t *testing.T, fileID int64) []*store.Document {
	t.Helper()
	docs, err := b.env.App.Store.ListDocuments(b.ctx, b.env.App.Pool, &store.ListDocumentsParams{FileID: fileID})
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func (b *bundle) exceptions(t *testing.T, fileID int64) []*store.Exception {
	t.Helper()
	ex, err := b.env.App.Store.FileExceptions(b.ctx, b.env.App.Pool, fileID)
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

func (b *bundle) acks(t *testing.T, partner string, fileID int64) []*store.OutboxItem {
	t.Helper()
	items, err := b.env.App.Store.ListOutbox(b.ctx, b.env.App.Pool, &store.ListOutboxParams{PartnerID: partner, FileID: fileID})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func (b *bundle) ackBody(t *testing.T, partner string, it *store.OutboxItem) string {
	t.Helper()
	full, err := b.env.App.Store.GetOutbox(b.ctx, b.env.App.Pool, partner, it.ID)
	if err != nil {
		t.Fatal(err)
	}
	return string(full.Body)
}

func checks(ex []*store.Exception) []string {
	var out []string
	for _, e := range ex {
		out = append(out, e.Check+"/"+e.Action)
	}
	return out
}

func TestIngestAcceptsAnOrder(t *testing.T) {
	t.Parallel()
	b := setup(t)
	f := b.send(t, "acme-retail", gatewaytest.Fixture(t, "850-004010.edi"))
	if f.Status != store.FileAccepted {
		t.Fatalf("status %s, summary %s", f.Status, f.Summary)
	}
	docs := b.documents(t, f.ID)
	if len(docs) != 1 || docs[0].Type != "order" || docs[0].Number != "4500012345" || docs[0].Status != store.DocumentAccepted {
		t.Fatalf("documents %+v", docs)
	}
	var body map[string]any
	if err := json.Unmarshal(docs[0].Body, &body); err != nil || body["order_number"] != "4500012345" {
		t.Errorf("document body %s (%v)", docs[0].Body, err)
	}
	acks := b.acks(t, "acme-retail", f.ID)
	if len(acks) != 1 || acks[0].Type != "997" || !strings.Contains(b.ackBody(t, "acme-retail", acks[0]), "AK5*A~") {
		t.Fatalf("acks %+v", acks)
	}
	txs, _ := b.env.App.Store.FileTransactions(b.ctx, b.env.App.Pool, f.ID)
	if len(txs) != 1 || txs[0].SetID != "850" || txs[0].Status != "accepted" {
		t.Errorf("transactions %+v", txs)
	}
	if ex := b.exceptions(t, f.ID); len(ex) != 0 {
		t.Errorf("exceptions %v", checks(ex))
	}
}

func TestIngestRejects(t *testing.T) {
	t.Parallel()
	order := gatewaytest.Fixture(t, "850-004010.edi")
	tests := []struct {
		name    string
		partner gatewaytest.Partner
		data    string
		ack     string // a fragment of the one ack expected
		check   string
		code    string // the exception's code, with the ack element that carries it
	}{
		{"another partner's sender ID", gatewaytest.Partner{ID: "globex", Sender: "GLOBEX"}, order,
			"TA1*000000101*261126*0930*R*006~", "impersonation/reject", "TA105:006"},
		{"a set outside accept", gatewaytest.Partner{Accept: []string{"856"}}, order, "AK5*R*1~", "x12_validation/reject", "AK502:1"},
		{"another receiver", gatewaytest.Partner{}, strings.ReplaceAll(order, "ZZ*NORTHWIND      ", "ZZ*SOMEONEELSE    "),
			"*R*008~", "wrong_receiver/reject", "TA105:008"},
		{"a broken set", gatewaytest.Partner{}, strings.Replace(order, "BEG*00*", "BEG*99*", 1), "AK5*R*", "x12_validation/reject", "AK403:7"},
		{"a group trailer miscounting its sets", gatewaytest.Partner{}, strings.Replace(order, "GE*1*101~", "GE*2*101~", 1),
			"AK9*R*", "x12_envelope/reject", "AK905:5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, tt.partner)
			id := strings.TrimSpace(strings.SplitN(tt.partner.YAML(), "\n", 2)[0][len("id:"):])
			f := b.send(t, id, tt.data)
			if f.Status != store.FileRejected {
				t.Errorf("status %s", f.Status)
			}
			if docs := b.documents(t, f.ID); len(docs) != 0 {
				t.Errorf("documents kept: %d", len(docs))
			}
			acks := b.acks(t, id, f.ID)
			if len(acks) != 1 || !strings.Contains(b.ackBody(t, id, acks[0]), tt.ack) {
				t.Errorf("want one ack with %q, got %d", tt.ack, len(acks))
				for _, a := range acks {
					t.Log(b.ackBody(t, id, a))
				}
			}
			ex := b.exceptions(t, f.ID)
			if got := checks(ex); len(got) != 1 || got[0] != tt.check {
				t.Errorf("exceptions %v, want [%s]", got, tt.check)
			} else if ex[0].Code != tt.code {
				t.Errorf("exception code %q, want %q", ex[0].Code, tt.code)
			}
		})
	}
}

func TestIngestReceiveRefuses(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.env.App.Pipeline.Receive(b.ctx, &ingest.ReceiveParams{PartnerID: "acme-retail", Channel: "api", Body: strings.NewReader("")})
	if !errors.Is(err, store.ErrEmpty) {
		t.Errorf("empty body: %v", err)
	}
	big := bytes.Repeat([]byte("x"), store.ChunkSize+10)
	_, err = b.env.App.Pipeline.Receive(b.ctx, &ingest.ReceiveParams{PartnerID: "acme-retail", Channel: "api",
		Body: bytes.NewReader(big), MaxBytes: store.ChunkSize})
	if !errors.Is(err, store.ErrTooLarge) {
		t.Errorf("oversized body: %v", err)
	}
	files, _ := b.env.App.Store.ListFiles(b.ctx, b.env.App.Pool, &store.ListFilesParams{})
	if len(files) != 0 {
		t.Errorf("refused bodies left %d files", len(files))
	}
}

func TestIngestStoresLargeFilesInChunks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	order := gatewaytest.Fixture(t, "850-004010.edi")
	var data strings.Builder
	for i := 0; data.Len() < 2*store.ChunkSize+100; i++ {
		data.WriteString(strings.ReplaceAll(order, "000000101", fmt.Sprintf("%09d", i+1)))
	}
	f := b.send(t, "acme-retail", data.String())
	if f.Size != int64(data.Len()) || f.Status != store.FileAccepted {
		t.Fatalf("size %d of %d, status %s: %s", f.Size, data.Len(), f.Status, f.Summary)
	}
	var sum ingest.Summary
	_ = json.Unmarshal(f.Summary, &sum)
	if sum.Interchanges < 2 || sum.Documents != sum.Interchanges || sum.Duplicates.Documents != sum.Interchanges-1 {
		t.Errorf("summary %s", f.Summary)
	}
}

func TestIngestDuplicates(t *testing.T) {
	t.Parallel()
	order := gatewaytest.Fixture(t, "850-004010.edi")
	sameISA13 := strings.Replace(order, "CUR*BY*USD", "CUR*BY*CAD", 1)
	newISA13 := strings.ReplaceAll(order, "000000101", "000000202")
	tests := []struct {
		name       string
		policy     string
		second     string
		status     string // of the second file
		docStatus  string // of its document, "" for none
		exceptions string
	}{
		{"file reject", "{file: reject}", order, store.FileDuplicate, "", "duplicate_file/reject"},
		{"file hold", "{file: hold}", order, store.FileDuplicate, "", "duplicate_file/hold"},
		{"file accept", "{file: accept, interchange: accept, document: accept}", order, store.FileAccepted, store.DocumentAccepted, ""},
		{"interchange reject", "{interchange: reject}", sameISA13, store.FileRejected, "", "duplicate_interchange/reject"},
		{"interchange hold", "{interchange: hold, document: accept}", sameISA13, store.FileAccepted, store.DocumentHeld, "duplicate_interchange/hold"},
		{"interchange accept", "{interchange: accept, document: accept}", sameISA13, store.FileAccepted, store.DocumentAccepted, ""},
		{"document reject", "{document: reject}", newISA13, store.FileAccepted, store.DocumentRejected, "duplicate_document/reject"},
		{"document hold", "{document: hold}", newISA13, store.FileAccepted, store.DocumentHeld, "duplicate_document/hold"},
		{"document accept", "{document: accept}", newISA13, store.FileAccepted, store.DocumentAccepted, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, gatewaytest.Partner{Duplicates: tt.policy})
			first := b.send(t, "acme-retail", order)
			second := b.send(t, "acme-retail", tt.second)
			if second.Status != tt.status {
				t.Errorf("second file: status %s, want %s (%s)", second.Status, tt.status, second.Summary)
			}
			docs := b.documents(t, second.ID)
			switch {
			case tt.docStatus == "" && len(docs) != 0:
				t.Errorf("second file kept %d documents", len(docs))
			case tt.docStatus != "" && (len(docs) != 1 || docs[0].Status != tt.docStatus):
				t.Errorf("second file's documents %+v, want one %s", docs, tt.docStatus)
			case tt.docStatus != "" && (docs[0].DuplicateOf == nil || *docs[0].DuplicateOf != b.documents(t, first.ID)[0].ID):
				t.Errorf("duplicate_of %v", docs[0].DuplicateOf)
			}
			if got := strings.Join(checks(b.exceptions(t, second.ID)), ","); got != tt.exceptions {
				t.Errorf("exceptions %q, want %q", got, tt.exceptions)
			}
			if tt.name == "interchange reject" {
				acks := b.acks(t, "acme-retail", second.ID)
				if len(acks) != 1 || !strings.Contains(b.ackBody(t, "acme-retail", acks[0]), "*R*025~") {
					t.Errorf("want a TA1 rejecting with 025, got %d acks", len(acks))
				}
			}
		})
	}
}

func TestIngestReprocessIsIdempotent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	order := gatewaytest.Fixture(t, "850-004010.edi")
	first := b.send(t, "acme-retail", order)
	dup := b.send(t, "acme-retail", strings.ReplaceAll(order, "000000101", "000000202"))
	before := b.documents(t, dup.ID)
	for run := 2; run <= 3; run++ {
		if err := b.env.App.Pipeline.Reprocess(b.ctx, dup.ID); err != nil {
			t.Fatal(err)
		}
		again := b.env.WaitProcessed(t, dup.ID, run)
		after := b.documents(t, dup.ID)
		if again.Status != dup.Status || len(after) != 1 || after[0].ID != before[0].ID || after[0].Status != store.DocumentHeld {
			t.Fatalf("run %d: status %s, documents %+v; before %+v", run, again.Status, after, before)
		}
		if ex := checks(b.exceptions(t, dup.ID)); len(ex) != 1 || ex[0] != "duplicate_document/hold" {
			t.Errorf("run %d: exceptions %v", run, ex)
		}
		if acks := b.acks(t, "acme-retail", dup.ID); len(acks) != 1 {
			t.Errorf("run %d: %d acks waiting", run, len(acks))
		}
	}
	all, _ := b.env.App.Store.ListDocuments(b.ctx, b.env.App.Pool, &store.ListDocumentsParams{})
	if len(all) != 2 || b.documents(t, first.ID)[0].Status != store.DocumentAccepted {
		t.Errorf("%d documents in all after reprocessing", len(all))
	}
}
