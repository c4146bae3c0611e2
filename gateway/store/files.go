package store

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
)

// File statuses.
const (
	FileReceived          = "received"
	FileAccepted          = "accepted"
	FilePartiallyAccepted = "partially_accepted"
	FileRejected          = "rejected"
	FileDuplicate         = "duplicate"
)

// ChunkSize is the size of the pieces a file's bytes are stored in.
const ChunkSize = 1 << 20

var (
	// ErrEmpty is returned by InsertFile for a body with no bytes.
	ErrEmpty = errors.New("store: the file is empty")
	// ErrTooLarge is returned by InsertFile when the body exceeds MaxBytes.
	ErrTooLarge = errors.New("store: the file exceeds the upload limit")
)

// File is one received payload.
type File struct {
	ID          int64           `json:"id"`
	PartnerID   string          `json:"partner_id"`
	Channel     string          `json:"channel"`
	Filename    string          `json:"filename"`
	Size        int64           `json:"size"`
	SHA256      []byte          `json:"-"`
	ReceivedAt  time.Time       `json:"received_at"`
	Status      string          `json:"status"`
	Runs        int             `json:"runs"`
	ProcessedAt *time.Time      `json:"processed_at,omitempty"`
	DuplicateOf *int64          `json:"duplicate_of,omitempty"`
	Summary     json.RawMessage `json:"summary"`
}

const fileColumns = `id, partner_id, channel, filename, size, sha256, received_at, status, runs, processed_at, duplicate_of, summary`

func scanFile(row pgx.Row) (*File, error) {
	var f File
	err := row.Scan(&f.ID, &f.PartnerID, &f.Channel, &f.Filename, &f.Size, &f.SHA256, &f.ReceivedAt,
		&f.Status, &f.Runs, &f.ProcessedAt, &f.DuplicateOf, &f.Summary)
	if err != nil {
		return nil, notFound(err)
	}
	return &f, nil
}

// InsertFileParams describes a payload to store.
type InsertFileParams struct {
	PartnerID string
	Channel   string // api, sftp, as2, remote_sftp
	Filename  string
	Body      io.Reader
	// MaxBytes bounds the body; 0 means no limit.
	MaxBytes int64
}

// InsertFile stores a payload in chunks, streaming it from p.Body, and returns
// the new file with status received. It returns ErrEmpty or ErrTooLarge
// (wrapped) for bodies it refuses; the caller then rolls tx back.
func (s *Store) InsertFile(ctx context.Context, tx DB, p *InsertFileParams) (*File, error) {
	f := &File{PartnerID: p.PartnerID, Channel: p.Channel, Filename: p.Filename, ReceivedAt: s.Now(),
		Status: FileReceived, Summary: json.RawMessage(`{}`)}
	bp, _ := s.chunks.Get().(*[]byte)
	if bp == nil {
		b := make([]byte, ChunkSize)
		bp = &b
	}
	defer s.chunks.Put(bp)
	buf := *bp
	n, last, err := s.readChunk(p, f, buf)
	switch {
	case err != nil:
		return nil, err
	case n == 0:
		return nil, ErrEmpty
	case last:
		return f, s.insertWhole(ctx, tx, f, buf[:n])
	}
	return f, s.insertChunked(ctx, tx, f, p, buf, n)
}

// readChunk reads the next chunk of p.Body into buf, counting it in f.Size;
// last reports that the body ended.
func (s *Store) readChunk(p *InsertFileParams, f *File, buf []byte) (n int, last bool, err error) {
	n, err = io.ReadFull(p.Body, buf)
	f.Size += int64(n)
	if p.MaxBytes > 0 && f.Size > p.MaxBytes {
		return 0, false, fmt.Errorf("file from %s over %d bytes: %w", p.PartnerID, p.MaxBytes, ErrTooLarge)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return n, true, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("store: reading the body of a file from %s: %w", p.PartnerID, err)
	}
	return n, false, nil
}

// insertWhole stores a file of one chunk in one statement.
func (s *Store) insertWhole(ctx context.Context, tx DB, f *File, data []byte) error {
	sum := sha256.Sum256(data)
	f.SHA256 = sum[:]
	err := tx.QueryRow(ctx, `WITH f AS (INSERT INTO files (partner_id, channel, filename, size, sha256, received_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id)
		INSERT INTO file_chunks (file_id, seq, data) SELECT id, 0, $7 FROM f RETURNING file_id`,
		f.PartnerID, f.Channel, f.Filename, f.Size, f.SHA256, f.ReceivedAt, data).Scan(&f.ID)
	if err != nil {
		return fmt.Errorf("store: inserting file from %s: %w", f.PartnerID, err)
	}
	return nil
}

// insertChunked stores a file of many chunks, the first already in buf[:n].
func (s *Store) insertChunked(ctx context.Context, tx DB, f *File, p *InsertFileParams, buf []byte, n int) error {
	err := tx.QueryRow(ctx, `INSERT INTO files (partner_id, channel, filename, size, sha256, received_at)
		VALUES ($1, $2, $3, 0, '', $4) RETURNING id`, f.PartnerID, f.Channel, f.Filename, f.ReceivedAt).Scan(&f.ID)
	if err != nil {
		return fmt.Errorf("store: inserting file from %s: %w", f.PartnerID, err)
	}
	h := sha256.New()
	for seq, last := 0, false; n > 0; seq++ {
		h.Write(buf[:n])
		if _, err := tx.Exec(ctx, `INSERT INTO file_chunks (file_id, seq, data) VALUES ($1, $2, $3)`, f.ID, seq, buf[:n]); err != nil {
			return fmt.Errorf("store: file %d chunk %d: %w", f.ID, seq, err)
		}
		if last {
			break
		}
		if n, last, err = s.readChunk(p, f, buf); err != nil {
			return err
		}
	}
	// A file of many chunks may have been stored while it arrived: it is
	// received once its last byte is.
	f.SHA256, f.ReceivedAt = h.Sum(nil), s.Now()
	_, err = tx.Exec(ctx, `UPDATE files SET size = $2, sha256 = $3, received_at = $4 WHERE id = $1`,
		f.ID, f.Size, f.SHA256, f.ReceivedAt)
	if err != nil {
		return fmt.Errorf("store: file %d: %w", f.ID, err)
	}
	return nil
}

// FileReader returns the bytes of a file, read a chunk at a time, and lets
// the reader seek. Each Read that needs a new chunk runs one query on db, so
// db must not be busy with another statement's rows while the reader is used.
func (s *Store) FileReader(ctx context.Context, db DB, f *File) io.ReadSeeker {
	return &chunkReader{ctx: ctx, db: db, fileID: f.ID, size: f.Size}
}

// chunkReader relies on every chunk but the last holding ChunkSize bytes.
type chunkReader struct {
	ctx    context.Context
	db     DB
	fileID int64
	size   int64
	pos    int64  // the offset of the next byte Read returns
	buf    []byte // the rest of the chunk holding pos
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.buf) == 0 {
		if r.pos >= r.size {
			return 0, io.EOF
		}
		if err := r.fetch(); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	r.pos += int64(n)
	return n, nil
}

// fetch loads the chunk holding pos into buf, from pos on.
func (r *chunkReader) fetch() error {
	seq := r.pos / ChunkSize
	var data []byte
	err := r.db.QueryRow(r.ctx, `SELECT data FROM file_chunks WHERE file_id = $1 AND seq = $2`, r.fileID, seq).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && int64(len(data)) <= r.pos%ChunkSize {
		return fmt.Errorf("store: file %d has no chunk %d: %w", r.fileID, seq, io.ErrUnexpectedEOF)
	}
	if err != nil {
		return fmt.Errorf("store: file %d chunk %d: %w", r.fileID, seq, err)
	}
	r.buf = data[r.pos%ChunkSize:]
	return nil
}

// Seek moves to an offset from the start or the current offset.
func (r *chunkReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.pos
	case io.SeekEnd:
		offset += r.size
	default:
		return r.pos, fmt.Errorf("store: file %d: bad whence %d", r.fileID, whence)
	}
	if offset < 0 {
		return r.pos, fmt.Errorf("store: file %d: seek to %d", r.fileID, offset)
	}
	if offset != r.pos {
		r.pos, r.buf = offset, nil
	}
	return r.pos, nil
}

// GetFile returns a file; with a non-empty partnerID, only that partner's.
func (s *Store) GetFile(ctx context.Context, db DB, id int64, partnerID string) (*File, error) {
	return scanFile(db.QueryRow(ctx, `SELECT `+fileColumns+` FROM files
		WHERE id = $1 AND ($2 = '' OR partner_id = $2)`, id, partnerID))
}

// LockFile returns a file and locks its row until tx ends.
func (s *Store) LockFile(ctx context.Context, tx DB, id int64) (*File, error) {
	return scanFile(tx.QueryRow(ctx, `SELECT `+fileColumns+` FROM files WHERE id = $1 FOR UPDATE`, id))
}

// ListFilesParams filters ListFiles. Empty fields do not filter.
type ListFilesParams struct {
	PartnerID string
	Status    string
	// Before returns files with smaller IDs (the cursor); 0 starts at the newest.
	Before int64
	Limit  int
}

// ListFiles returns files newest first.
func (s *Store) ListFiles(ctx context.Context, db DB, p *ListFilesParams) ([]*File, error) {
	rows, err := db.Query(ctx, `SELECT `+fileColumns+` FROM files
		WHERE ($1 = '' OR partner_id = $1) AND ($2 = '' OR status = $2) AND ($3 = 0 OR id < $3)
		ORDER BY id DESC LIMIT $4`, p.PartnerID, p.Status, p.Before, limit(p.Limit))
	if err != nil {
		return nil, fmt.Errorf("store: listing files: %w", err)
	}
	return collect(rows, scanFile)
}

// EarlierCopy returns the first file of the same partner with the same bytes
// received before f, if any.
func (s *Store) EarlierCopy(ctx context.Context, db DB, f *File) (int64, bool, error) {
	var id *int64
	err := db.QueryRow(ctx, `SELECT min(id) FROM files WHERE partner_id = $1 AND sha256 = $2 AND id < $3`,
		f.PartnerID, f.SHA256, f.ID).Scan(&id)
	if err != nil {
		return 0, false, fmt.Errorf("store: file %d: looking for an earlier copy: %w", f.ID, err)
	}
	if id == nil {
		return 0, false, nil
	}
	return *id, true, nil
}

// StartRun begins a processing run of a file that is still received, or of
// any file when again is true: it locks the file's row until tx ends, counts
// the run and removes what an earlier run recorded (documents stay, to be
// updated in place). It returns nil and no error when there is nothing to
// do: the file was processed already and again is false. File.Runs is the
// new run's number.
func (s *Store) StartRun(ctx context.Context, tx DB, fileID int64, again bool) (*File, error) {
	f, err := scanFile(tx.QueryRow(ctx, `UPDATE files SET runs = runs + 1 WHERE id = $1 AND (status = 'received' OR $2)
		RETURNING `+fileColumns, fileID, again))
	if errors.Is(err, ErrNotFound) {
		if _, err := s.GetFile(ctx, tx, fileID, ""); err != nil {
			return nil, fmt.Errorf("store: file %d: %w", fileID, err)
		}
		return nil, nil
	}
	if err != nil || f.Runs == 1 {
		return f, err
	}
	return f, s.clearRun(ctx, tx, f)
}

func (s *Store) clearRun(ctx context.Context, tx DB, f *File) error {
	fileID := f.ID
	b := &pgx.Batch{}
	for _, q := range []string{
		`DELETE FROM interchanges WHERE file_id = $1`,
		`DELETE FROM interchange_keys WHERE file_id = $1`,
		`DELETE FROM transactions WHERE file_id = $1`,
		`DELETE FROM document_keys WHERE document_id IN (SELECT id FROM documents WHERE file_id = $1)`,
		`DELETE FROM exceptions WHERE file_id = $1 AND status = 'open'`,
		`DELETE FROM outbox WHERE file_id = $1 AND picked_up_at IS NULL`,
	} {
		b.Queue(q, fileID)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("store: file %d: clearing run %d: %w", fileID, f.Runs-1, err)
	}
	return nil
}

// FinishFileParams records the outcome of a processing run.
type FinishFileParams struct {
	ID          int64
	Status      string
	Run         int
	DuplicateOf *int64
	Summary     any // marshalled to JSON
}

// FinishFile sets a file's status and summary and drops the documents an
// earlier run made that this run did not make again.
func (s *Store) FinishFile(ctx context.Context, tx DB, p *FinishFileParams) error {
	sum, err := json.Marshal(p.Summary)
	if err != nil {
		return fmt.Errorf("store: file %d summary: %w", p.ID, err)
	}
	b := &pgx.Batch{}
	b.Queue(`UPDATE files SET status = $2, summary = $3, duplicate_of = $4, processed_at = $5 WHERE id = $1`,
		p.ID, p.Status, sum, p.DuplicateOf, s.Now())
	b.Queue(`DELETE FROM documents WHERE file_id = $1 AND run < $2`, p.ID, p.Run)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("store: finishing file %d: %w", p.ID, err)
	}
	return nil
}

func limit(n int) int {
	if n <= 0 || n > 500 {
		return 100
	}
	return n
}

func collect[T any](rows pgx.Rows, scan func(pgx.Row) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
