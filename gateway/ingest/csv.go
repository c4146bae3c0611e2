package ingest

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/partnergate/partnergate/flatfile"
	"github.com/partnergate/partnergate/gateway/store"
)

// CheckCSV names the exceptions of CSV documents and files that were
// rejected.
const CheckCSV = "csv_validation"

// processCSV runs a file through a partner's CSV profile: each accepted
// document is kept like a translated X12 set's, each rejected one raises an
// exception, and a result file (the CSV partner's acknowledgment) goes to
// the outbox.
func (r *run) processCSV(prof *flatfile.Profile) (*outcome, error) {
	r.icSeq, r.groupSeq, r.csv = 0, 0, true
	var result bytes.Buffer
	rw := flatfile.NewResultWriter(&result, prof)
	sum, err := flatfile.Process(r.p.cfg.Store.FileReader(r.ctx, r.tx, r.file), prof, func(res *flatfile.DocResult) error {
		r.txSeq++
		r.checkCSVDocument(res)
		if err := rw.Write(res); err != nil {
			return err
		}
		switch {
		case res.Doc == nil && r.violations[r.txSeq] != nil:
			r.policyRejected++
			r.policyExceptions(r.txSeq, 0)
			return r.sendIfFull()
		case res.Doc == nil:
			r.rejectedDocument(res)
			return r.sendIfFull()
		}
		res.Doc.Head().Source.Filename = r.file.Filename
		if err := r.keep(res.Doc); err != nil {
			return err
		}
		return r.sendIfFull()
	})
	if err == nil && sum.FileError != nil {
		r.exception(&store.Exception{Check: CheckCSV, Severity: store.SeverityError, Action: store.ActionReject,
			Message: fmt.Sprintf("file %s was not read to its end: %v", r.file.Filename, sum.FileError)})
		err = rw.WriteFileError(sum.FileError)
	}
	if err == nil {
		err = rw.Flush()
	}
	if err == nil {
		err = r.flushDocuments()
	}
	if err != nil {
		return nil, fmt.Errorf("ingest: file %d from %s (CSV profile %s): %w", r.file.ID, r.file.PartnerID, prof.Name, err)
	}
	sum.Accepted, sum.Rejected = sum.Accepted-r.policyRejected, sum.Rejected+r.policyRejected
	r.resultFile(result.Bytes())
	r.sum.Documents, r.sum.Accepted, r.sum.Rejected = sum.Accepted, sum.Accepted, sum.Rejected
	return r.finish(csvStatus(sum), nil)
}

func (r *run) rejectedDocument(res *flatfile.DocResult) {
	seq := r.txSeq
	e := &store.Exception{Check: CheckCSV, Severity: store.SeverityError, Action: store.ActionReject, TransactionSeq: &seq,
		Message: fmt.Sprintf("document %q (rows %d to %d) was rejected", res.Key, res.Row, res.LastRow)}
	if len(res.Errors) > 0 {
		e.Message = fmt.Sprintf("%s: %v (%d errors)", e.Message, res.Errors[0], len(res.Errors))
	}
	r.exception(e)
}

// resultFile puts the CSV result file in the partner's outbox.
func (r *run) resultFile(body []byte) {
	name := strings.TrimSuffix(path.Base(r.file.Filename), path.Ext(r.file.Filename))
	if name == "" || name == "." {
		name = fmt.Sprintf("file-%d", r.file.ID)
	}
	r.p.cfg.Store.QueueOutbox(r.batch, &store.OutboxItem{PartnerID: r.file.PartnerID, FileID: &r.file.ID,
		Kind: store.OutboxResult, Type: "CSV", Filename: name + ".result.csv", Body: body})
}

func csvStatus(sum flatfile.Summary) string {
	switch {
	case sum.Accepted == 0:
		return store.FileRejected
	case sum.Rejected > 0 || sum.FileError != nil:
		return store.FilePartiallyAccepted
	}
	return store.FileAccepted
}
