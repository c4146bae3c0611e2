package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// RemoteFile identifies one version of a file on a partner's SFTP server:
// its path there, size and modification time as the server lists them.
type RemoteFile struct {
	PartnerID  string
	RemotePath string
	Size       int64
	MTime      time.Time
}

// RemotePickup records that the poller is taking, or took, a RemoteFile.
type RemotePickup struct {
	ID int64
	RemoteFile
	// AfterFileID is the largest files.id committed when the pickup was
	// claimed; the file stored for it, if any, has a larger ID.
	AfterFileID int64
	// FileID is the stored file, once known.
	FileID    *int64
	ClaimedAt time.Time
	PickedAt  *time.Time
}

const pickupColumns = `id, partner_id, remote_path, size, mtime, after_file_id, file_id, claimed_at, picked_at`

// RemotePickup returns the live (not yet removed) pickup of a remote file,
// or ErrNotFound.
func (s *Store) RemotePickup(ctx context.Context, db DB, f *RemoteFile) (*RemotePickup, error) {
	var pk RemotePickup
	err := db.QueryRow(ctx, `SELECT `+pickupColumns+` FROM remote_pickups WHERE partner_id = $1 AND remote_path = $2
		AND size = $3 AND mtime = $4 AND removed_at IS NULL`, f.PartnerID, f.RemotePath, f.Size, f.MTime).
		Scan(&pk.ID, &pk.PartnerID, &pk.RemotePath, &pk.Size, &pk.MTime, &pk.AfterFileID, &pk.FileID, &pk.ClaimedAt, &pk.PickedAt)
	if err != nil {
		return nil, notFound(err)
	}
	return &pk, nil
}

// ClaimRemotePickup records, before a remote file is stored, that it is
// about to be: a new live pickup, or the existing one with a fresh
// AfterFileID. The caller commits the claim before storing the file.
func (s *Store) ClaimRemotePickup(ctx context.Context, db DB, f *RemoteFile) (*RemotePickup, error) {
	pk := RemotePickup{RemoteFile: *f, ClaimedAt: s.Now()}
	err := db.QueryRow(ctx, `INSERT INTO remote_pickups (partner_id, remote_path, size, mtime, after_file_id, claimed_at)
		VALUES ($1, $2, $3, $4, (SELECT coalesce(max(id), 0) FROM files), $5)
		ON CONFLICT (partner_id, remote_path, size, mtime) WHERE removed_at IS NULL
		DO UPDATE SET after_file_id = excluded.after_file_id, claimed_at = excluded.claimed_at, file_id = NULL
		RETURNING id, after_file_id`, f.PartnerID, f.RemotePath, f.Size, f.MTime, pk.ClaimedAt).Scan(&pk.ID, &pk.AfterFileID)
	if err != nil {
		return nil, fmt.Errorf("store: claiming %s of %s: %w", f.RemotePath, f.PartnerID, err)
	}
	return &pk, nil
}

// ClaimedFile returns the file a claimed pickup may have stored before its
// process died: the first file of the partner over channel remote_sftp,
// named filename and of the pickup's size, stored after the claim. It
// returns ErrNotFound when there is none. The caller, which polls the
// partner alone, compares the bytes before trusting the answer.
func (s *Store) ClaimedFile(ctx context.Context, db DB, pk *RemotePickup, filename string) (*File, error) {
	return scanFile(db.QueryRow(ctx, `SELECT `+fileColumns+` FROM files WHERE partner_id = $1 AND channel = 'remote_sftp'
		AND filename = $2 AND size = $3 AND id > $4 ORDER BY id LIMIT 1`, pk.PartnerID, filename, pk.Size, pk.AfterFileID))
}

// CompleteRemotePickup records the file a pickup stored.
func (s *Store) CompleteRemotePickup(ctx context.Context, db DB, id, fileID int64) error {
	_, err := db.Exec(ctx, `UPDATE remote_pickups SET file_id = $2, picked_at = $3 WHERE id = $1`, id, fileID, s.Now())
	if err != nil {
		return fmt.Errorf("store: remote pickup %d: %w", id, err)
	}
	return nil
}

// RemovedRemotePickup records that the remote file of a pickup was removed
// (deleted or archived) from the partner's server; the row stays as history.
func (s *Store) RemovedRemotePickup(ctx context.Context, db DB, id int64) error {
	_, err := db.Exec(ctx, `UPDATE remote_pickups SET removed_at = $2 WHERE id = $1`, id, s.Now())
	if err != nil {
		return fmt.Errorf("store: remote pickup %d: %w", id, err)
	}
	return nil
}

// ReconcileRemotePickups marks removed the live pickups of a partner's
// remote folder dir whose files are no longer there: listed holds the
// paths the folder lists now. It cleans up after a poll that removed a
// remote file but died before RemovedRemotePickup, so that a later file of
// the same name, size and time is not mistaken for it.
func (s *Store) ReconcileRemotePickups(ctx context.Context, db DB, partnerID, dir string, listed []string) error {
	_, err := db.Exec(ctx, `UPDATE remote_pickups SET removed_at = $4 WHERE partner_id = $1 AND removed_at IS NULL
		AND left(remote_path, length($2) + 1) = $2 || '/' AND NOT (remote_path = ANY($3))`,
		partnerID, strings.TrimSuffix(dir, "/"), listed, s.Now())
	if err != nil {
		return fmt.Errorf("store: remote pickups of %s: %w", partnerID, err)
	}
	return nil
}

// TryAdvisoryLock takes the session-level advisory lock named key on the
// connection db, without waiting; it reports whether it got it. The lock is
// held until AdvisoryUnlock on the same connection, or until the
// connection closes.
func (s *Store) TryAdvisoryLock(ctx context.Context, db DB, key string) (bool, error) {
	var ok bool
	if err := db.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtextextended($1, 0))`, key).Scan(&ok); err != nil {
		return false, fmt.Errorf("store: advisory lock %q: %w", key, err)
	}
	return ok, nil
}

// AdvisoryUnlock releases a lock TryAdvisoryLock took on the connection db.
func (s *Store) AdvisoryUnlock(ctx context.Context, db DB, key string) error {
	var ok bool
	if err := db.QueryRow(ctx, `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, key).Scan(&ok); err != nil {
		return fmt.Errorf("store: advisory unlock %q: %w", key, err)
	}
	if !ok {
		return fmt.Errorf("store: advisory unlock %q: the lock was not held", key)
	}
	return nil
}
