package ingest

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/flatfile"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// Checks named in exceptions raised by processing.
const (
	CheckUnknownPartner       = "unknown_partner"
	CheckImpersonation        = "impersonation"
	CheckWrongReceiver        = "wrong_receiver"
	CheckEnvelope             = "x12_envelope"
	CheckValidation           = "x12_validation"
	CheckDuplicateFile        = "duplicate_file"
	CheckDuplicateInterchange = "duplicate_interchange"
	CheckDuplicateDocument    = "duplicate_document"
)

// Summary is what a processing run found, kept as the file's summary.
type Summary struct {
	Status            string     `json:"status"`
	Interchanges      int        `json:"interchanges"`
	Groups            int        `json:"groups"`
	Sets              int        `json:"sets"`
	Accepted          int        `json:"accepted"`
	Rejected          int        `json:"rejected"`
	Documents         int        `json:"documents"`
	Garbage           int        `json:"garbage"`
	RejectedEnvelopes int        `json:"rejected_envelopes"`
	Duplicates        Duplicates `json:"duplicates"`
	Exceptions        int        `json:"exceptions"`
	Acks              int        `json:"acks"`
	Run               int        `json:"run"`
}

// Duplicates counts what a run found received before, by layer.
type Duplicates struct {
	File         bool `json:"file"`
	Interchanges int  `json:"interchanges"`
	Documents    int  `json:"documents"`
}

// outcome is a finished run, for logs and metrics once it is committed.
type outcome struct {
	file    *store.File
	status  string
	sum     Summary
	counts  counts
	latency float64 // seconds from receipt to acks ready
}

// counts are the sets by ST01 and status and the findings by level and
// code of a run, for the metrics.
type counts struct {
	sets, findings map[[2]string]int
}

func (c *counts) add(set, status string, findings []edi.Finding) {
	if c.sets == nil {
		c.sets, c.findings = map[[2]string]int{}, map[[2]string]int{}
	}
	if set != "" {
		c.sets[[2]string{set, status}]++
	}
	for _, f := range findings {
		c.findings[[2]string{f.Level, f.Code}]++
	}
}

// process runs one file within tx.
func (p *Pipeline) process(ctx context.Context, tx pgx.Tx, f *store.File) (*outcome, error) {
	r := &run{p: p, ctx: ctx, tx: tx, file: f, no: f.Runs, batch: &pgx.Batch{}, icSeq: -1, groupSeq: -1, txSeq: -1}
	partner, ok := p.cfg.Partners.Current().ByID(f.PartnerID)
	if !ok {
		r.exception(&store.Exception{Check: CheckUnknownPartner, Severity: store.SeverityError, Action: store.ActionReject,
			Message: fmt.Sprintf("partner %q is not configured; the file was not processed", f.PartnerID)})
		return r.finish(store.FileRejected, nil)
	}
	r.partner = partner
	if done, err := r.duplicateFile(); done || err != nil {
		return r.out, err
	}
	if prof, ok := flatfile.Match(partner.CSV, f.Filename); ok {
		return r.processCSV(prof)
	}
	sum, err := edi.Process(p.cfg.Store.FileReader(ctx, tx, f), r, r.processOpts())
	if err == nil {
		err = r.err
	}
	if err != nil {
		return nil, fmt.Errorf("ingest: file %d from %s: %w", f.ID, f.PartnerID, err)
	}
	return r.finish(fileStatus(sum.Status), sum)
}

func fileStatus(s edi.FileStatus) string {
	switch s {
	case edi.FileAccepted:
		return store.FileAccepted
	case edi.FilePartiallyAccepted:
		return store.FilePartiallyAccepted
	}
	return store.FileRejected
}

// duplicateFile applies the file duplicate policy; done reports that the
// run ends here.
func (r *run) duplicateFile() (done bool, err error) {
	first, dup, err := r.p.cfg.Store.EarlierCopy(r.ctx, r.tx, r.file)
	if err != nil || !dup {
		return false, err
	}
	r.dupOf, r.sum.Duplicates.File = &first, true
	action := r.partner.Duplicates.File
	msg := fmt.Sprintf("the same bytes (sha256) were received from %s as file %d", r.partner.ID, first)
	if action == partners.ActionAccept {
		return false, nil
	}
	r.exception(&store.Exception{Check: CheckDuplicateFile, Severity: store.SeverityError, Action: string(action),
		Message: msg + "; duplicates.file is " + string(action) + ", so it was not processed"})
	r.out, err = r.finish(store.FileDuplicate, nil)
	return true, err
}

func (r *run) processOpts() *edi.ProcessOpts {
	ack := r.partner.AckOpts()
	ack.Now = r.p.cfg.Store.Now
	ack.Control = r.control
	return &edi.ProcessOpts{Ack: ack, SetCheck: r.partner.SetCheck(), InterchangeCheck: r.checkInterchange,
		DocumentCheck: r.checkDocument}
}

// control draws the control numbers of the acks from the database.
func (r *run) control(kind string) string {
	n, err := r.p.cfg.Store.NextControl(r.ctx, r.tx, kind)
	if err != nil {
		r.fail(err)
		return "1"
	}
	return strconv.FormatInt(n, 10)
}

// finish writes what the run collected and the file's outcome.
func (r *run) finish(status string, sum *edi.Summary) (*outcome, error) {
	if sum != nil {
		r.sum.Interchanges, r.sum.Groups, r.sum.Sets = sum.Interchanges, sum.Groups, sum.Sets
		r.sum.Accepted, r.sum.Rejected, r.sum.Documents = sum.Accepted, sum.Rejected, sum.Documents
		r.sum.Garbage, r.sum.RejectedEnvelopes = sum.Garbage, sum.RejectedEnvelopes
	}
	r.sum.Status, r.sum.Run = status, r.no
	if err := r.flush(); err != nil {
		return nil, err
	}
	if out := r.p.cfg.Outbound; out != nil && r.partner != nil {
		if err := out(r.ctx, r.tx, r.partner, r.file.ID); err != nil {
			return nil, fmt.Errorf("ingest: file %d: queueing deliveries: %w", r.file.ID, err)
		}
	}
	latency := r.p.cfg.Store.Now().Sub(r.file.ReceivedAt)
	if err := r.recordFacts(latency); err != nil {
		return nil, err
	}
	err := r.p.cfg.Store.FinishFile(r.ctx, r.tx, &store.FinishFileParams{
		ID: r.file.ID, Status: status, Run: r.no, DuplicateOf: r.dupOf, Summary: r.sum,
	})
	if err != nil {
		return nil, err
	}
	return &outcome{file: r.file, status: status, sum: r.sum, counts: r.counts, latency: latency.Seconds()}, nil
}

// recordFacts adds what the run found to the partner's scorecard.
func (r *run) recordFacts(latency time.Duration) error {
	st := r.p.cfg.Store
	c, err := st.FileExceptionCounts(r.ctx, r.tx, r.file.ID)
	if err != nil {
		return err
	}
	dups := r.sum.Duplicates.Interchanges + r.sum.Duplicates.Documents
	if r.sum.Duplicates.File {
		dups++
	}
	f := &store.FileFacts{FileID: r.file.ID, PartnerID: r.file.PartnerID, ReceivedAt: r.file.ReceivedAt,
		Documents: r.sum.Documents, Exceptional: c.Exceptional, Exceptions: c.Exceptions, Duplicates: dups,
		LateASNs: c.ByCheck[string(partners.CheckLateASN)], ByCheck: c.ByCheck, ByCode: c.ByCode, AckLatency: latency}
	if r.csv {
		f.CSVDocuments = r.sum.Accepted + r.sum.Rejected
	} else {
		f.Sets, f.Accepted, f.Rejected = r.sum.Sets, r.sum.Accepted, r.sum.Rejected
	}
	return st.RecordFileFacts(r.ctx, r.tx, f)
}
