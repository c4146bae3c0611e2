package review

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/partnergate/partnergate/canonical"
	"github.com/partnergate/partnergate/edi"
	"github.com/partnergate/partnergate/flatfile"
	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// rejectionAck returns what tells the partner that staff rejected document
// d for exception e, or nil when its format and the partner's configuration
// allow nothing:
//
//   - A document of an X12 set gets a 997, or a 999 (see x12Rejection), in
//     its own interchange: its partner's x12.ack decides which, as for the
//     processing acks, and "none" sends nothing.
//   - A document of a CSV file gets a result file of its own, in the
//     layout of the file's profile, with one line for it (see
//     csvRejection).
//   - A document of a partner no longer configured gets nothing.
func (r *Reviewer) rejectionAck(ctx context.Context, tx pgx.Tx, d *store.Document, e *store.Exception, rows fileRows) (*store.OutboxItem, error) {
	p := r.partner(d.PartnerID)
	if p == nil {
		return nil, nil
	}
	doc, err := canonical.Decode(d.Body)
	if err != nil {
		return nil, fmt.Errorf("review: document %d: %w", d.ID, err)
	}
	src := doc.Head().Source
	switch src.Format {
	case canonical.FormatX12:
		return r.x12Rejection(ctx, tx, p, d, &src)
	case canonical.FormatCSV:
		return r.csvRejection(ctx, tx, p, d, e, rows)
	}
	return nil, nil
}

// x12Rejection builds, with the edi ack builder, the 997 or 999 of the
// document's set alone: ST, AK1 (the set's GS01 and GS06), AK2 (its ST01
// and ST02), AK5 R (IK5 R in a 999), AK9 R 1 1 0 and SE, in a GS FA group
// and an interchange that mirror the received ones like the processing
// acks: the ISA (sender and receiver swapped, ISA12, ISA15 and the
// delimiters of the received ISA, read again from the stored bytes), GS02
// and GS03 swapped, the group's release in GS08 (005010X231A1 for a 999).
// AK9 counts only the set acknowledged here: the group's other sets were
// acknowledged by the processing run. No TA1 is sent: the interchange was
// acknowledged then.
func (r *Reviewer) x12Rejection(ctx context.Context, tx pgx.Tx, p *partners.Partner, d *store.Document, src *canonical.Source) (*store.OutboxItem, error) {
	opts := p.AckOpts()
	if opts.Type == edi.AckNone {
		return nil, nil
	}
	st := r.cfg.Store
	t, err := st.GetTransaction(ctx, tx, d.FileID, d.TransactionSeq)
	if err != nil {
		return nil, fmt.Errorf("review: the set of document %d: %w", d.ID, err)
	}
	icRow, err := st.GetInterchange(ctx, tx, d.FileID, t.InterchangeSeq)
	if err != nil {
		return nil, fmt.Errorf("review: the interchange of document %d: %w", d.ID, err)
	}
	ic, err := r.readISA(ctx, tx, d.FileID, icRow.Offset)
	if err != nil {
		return nil, err
	}
	var ctlErr error
	opts.TA1, opts.Now = edi.TA1PolicyNever, st.Now
	opts.Control = func(kind string) string {
		n, err := st.NextControl(ctx, tx, kind)
		if err != nil && ctlErr == nil {
			ctlErr = err
		}
		return strconv.FormatInt(n, 10)
	}
	g := &edi.Group{FunctionalID: t.FunctionalID, Sender: src.ApplicationSender, Receiver: src.ApplicationReceiver,
		ControlNumber: t.GroupControl, Version: t.Version, TrailerCount: "1", Transactions: 1, Interchange: ic}
	var body bytes.Buffer
	ab := edi.NewAckBuilder(ic, opts, &body)
	_ = ab.BeginGroup(g)
	_ = ab.AddSet(&edi.SetResult{SetID: t.SetID, ControlNumber: t.ControlNumber, Status: edi.SetRejected})
	_ = ab.EndGroup(g)
	acks, err := ab.Finish(&body)
	if err == nil {
		err = ctlErr
	}
	if err != nil {
		return nil, fmt.Errorf("review: the rejection acknowledgment of document %d: %w", d.ID, err)
	}
	if len(acks) == 0 {
		return nil, nil // the received ISA cannot be answered
	}
	a := acks[0]
	return &store.OutboxItem{PartnerID: d.PartnerID, FileID: &d.FileID, Kind: store.OutboxAck, Type: a.Type,
		Filename: fmt.Sprintf("%s-%s.x12", a.Type, a.ControlNumber), ControlNumber: a.ControlNumber, Body: a.X12}, nil
}

// fileRows holds, by CSV file ID, the first row and business key of each
// document of the file, in the order processing numbered them.
type fileRows map[int64][]docRow

type docRow struct {
	key string // "" for a rejected document
	row int
}

// documentRow returns the row where CSV document d starts in file f, or 0
// when the document read there is not d.
func (r *Reviewer) documentRow(ctx context.Context, tx pgx.Tx, prof *flatfile.Profile, f *store.File, d *store.Document, rows fileRows) (int, error) {
	list, ok := rows[f.ID]
	if !ok {
		_, err := flatfile.Process(r.cfg.Store.FileReader(ctx, tx, f), prof, func(res *flatfile.DocResult) error {
			dr := docRow{row: res.Row}
			if res.Doc != nil {
				dr.key = res.Doc.BusinessKey()
			}
			list = append(list, dr)
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("review: reading file %d again with CSV profile %s: %w", f.ID, prof.Name, err)
		}
		rows[f.ID] = list
	}
	if seq := d.TransactionSeq; seq >= 0 && seq < len(list) && list[seq].key == d.Number {
		return list[seq].row, nil
	}
	return 0, nil
}

// readISA reads the interchange header at offset of a stored file.
func (r *Reviewer) readISA(ctx context.Context, tx pgx.Tx, fileID, offset int64) (*edi.Interchange, error) {
	st := r.cfg.Store
	f, err := st.GetFile(ctx, tx, fileID, "")
	if err != nil {
		return nil, fmt.Errorf("review: file %d: %w", fileID, err)
	}
	rd := st.FileReader(ctx, tx, f)
	if _, err := rd.Seek(offset, io.SeekStart); err != nil {
		return nil, fmt.Errorf("review: file %d: %w", fileID, err)
	}
	ev, err := edi.NewReader(rd, nil).Next()
	if err != nil {
		return nil, fmt.Errorf("review: file %d: reading the ISA at byte %d: %w", fileID, offset, err)
	}
	if ev.Kind != edi.InterchangeStart {
		return nil, fmt.Errorf("review: file %d: no ISA at byte %d", fileID, offset)
	}
	return ev.Interchange, nil
}

// csvRejection builds a result file like the processing run's, in the
// profile's layout, with its header and one line for the document:
//
//	<key column>,row,status,error
//	<document number>,<row>,rejected,rejected on review (<check>): <exception message>
//
// row is where the document starts in the file, found by reading the
// stored file again with the profile (once per file and action, in rows);
// it is empty when the document there is no longer the same one, as after
// a change of the profile. It is named after the file,
// <name>.rejected-<document ID>.result.csv. A file that no profile of the
// partner matches any more gets nothing.
func (r *Reviewer) csvRejection(ctx context.Context, tx pgx.Tx, p *partners.Partner, d *store.Document, e *store.Exception, rows fileRows) (*store.OutboxItem, error) {
	f, err := r.cfg.Store.GetFile(ctx, tx, d.FileID, "")
	if err != nil {
		return nil, fmt.Errorf("review: file %d: %w", d.FileID, err)
	}
	prof, ok := flatfile.Match(p.CSV, f.Filename)
	if !ok {
		return nil, nil
	}
	row, err := r.documentRow(ctx, tx, prof, f, d, rows)
	if err != nil {
		return nil, err
	}
	msg := "rejected on review"
	if e != nil {
		msg += " (" + e.Check + "): " + e.Message
	}
	var buf bytes.Buffer
	rw := flatfile.NewResultWriter(&buf, prof)
	if err = rw.WriteRejected(d.Number, row, msg); err == nil {
		err = rw.Flush()
	}
	if err != nil {
		return nil, fmt.Errorf("review: the result file of document %d: %w", d.ID, err)
	}
	name := strings.TrimSuffix(path.Base(f.Filename), path.Ext(f.Filename))
	if name == "" || name == "." {
		name = fmt.Sprintf("file-%d", f.ID)
	}
	return &store.OutboxItem{PartnerID: d.PartnerID, FileID: &d.FileID, Kind: store.OutboxResult, Type: "CSV",
		Filename: fmt.Sprintf("%s.rejected-%d.result.csv", name, d.ID), Body: buf.Bytes()}, nil
}
