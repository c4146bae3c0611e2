package ingest

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
)

// ProcessFileArgs is the job that processes a stored file.
type ProcessFileArgs struct {
	FileID int64 `json:"file_id"`
	// Reprocess runs the file again even when it was processed before.
	Reprocess bool `json:"reprocess,omitempty"`
}

// Kind names the job in River.
func (ProcessFileArgs) Kind() string { return "process_file" }

// Worker runs ProcessFileArgs jobs. Register it with river.AddWorker.
type Worker struct {
	river.WorkerDefaults[ProcessFileArgs]
	Pipeline *Pipeline
	// MaxRun bounds a run; a job running longer is cancelled, and a job
	// whose worker died is handed to another worker once MaxRun has
	// passed. Default 5 minutes.
	MaxRun time.Duration
}

// Work processes one file in one transaction: either everything the run
// produced is committed, or nothing is and the job is retried. The run
// starts by locking the file's row and only goes on while the file is still
// received (or the job asks for a reprocess), so a job that runs twice, as
// after a crash between the commit and River's completion of the job,
// changes nothing the second time.
func (w *Worker) Work(ctx context.Context, job *river.Job[ProcessFileArgs]) error {
	p := w.Pipeline
	var out *outcome
	err := pgx.BeginFunc(ctx, p.cfg.Pool, func(tx pgx.Tx) error {
		if err := p.cfg.Store.AsyncCommit(ctx, tx); err != nil {
			return err
		}
		f, err := p.cfg.Store.StartRun(ctx, tx, job.Args.FileID, job.Args.Reprocess)
		if err != nil || f == nil {
			return err
		}
		out, err = p.process(ctx, tx, f)
		return err
	})
	if err != nil {
		p.log.ErrorContext(ctx, "processing failed", "file_id", job.Args.FileID, "attempt", job.Attempt, "error", err)
		return err
	}
	if out != nil {
		p.log.InfoContext(ctx, "file processed", "file_id", out.file.ID, "partner", out.file.PartnerID,
			"status", out.status, "sets", out.sum.Sets, "documents", out.sum.Documents)
		p.cfg.Metrics.observe(out)
	}
	return nil
}

// Timeout is MaxRun: River rescues a job only after its timeout.
func (w *Worker) Timeout(*river.Job[ProcessFileArgs]) time.Duration {
	if w.MaxRun <= 0 {
		return 5 * time.Minute
	}
	return w.MaxRun
}
