package partners

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
)

// LiveOpts configures a Live. A nil *LiveOpts means the defaults.
type LiveOpts struct {
	// Now is the clock of the times in LiveStatus. Default time.Now.
	Now func() time.Time
	// Debounce is how long Watch waits after the last change in the
	// directory before reloading, so that an editor's burst of writes and
	// renames gives one reload. Default 200ms.
	Debounce time.Duration
}

// LiveStatus describes a Live's configuration and its last reload, for logs,
// metrics and the API. It never holds secrets.
type LiveStatus struct {
	// Dir is the partner directory.
	Dir string
	// Version is the Version of the current Set.
	Version string
	// Partners is the number of partners in the current Set.
	Partners int
	// LoadedAt is when the current Set was loaded. A reload that finds the
	// same files (the same Version) keeps the Set and this time.
	LoadedAt time.Time
	// LastAttempt is when the last load or reload was attempted.
	LastAttempt time.Time
	// LastError is the error of the last attempt, one problem per line, or
	// "" when it succeeded. The current Set is then older than the files.
	LastError string
	// Problems are the problems of the last attempt, when it failed.
	Problems []Problem
	// Reloads counts the successful reloads since NewLive, changed or not;
	// Failures the failed ones.
	Reloads, Failures int
	// Watching is true while Watch is watching the directory.
	Watching bool
}

// Live holds the current partner Set of a directory and replaces it on
// Reload, or on file change while Watch runs. A reload that fails keeps the
// last good Set. Live is safe for concurrent use; Current never blocks.
type Live struct {
	dir      string
	logger   *slog.Logger
	now      func() time.Time
	debounce time.Duration

	current  atomic.Pointer[Set]
	reloadMu sync.Mutex // one load at a time, so sets are stored in order

	mu     sync.Mutex // guards status
	status LiveStatus
}

// NewLive loads dir and returns a Live holding it. It fails, with Load's
// *LoadError, when that first load does. A nil logger discards.
func NewLive(dir string, logger *slog.Logger) (*Live, error) {
	return NewLiveOpts(dir, logger, nil)
}

// NewLiveOpts is NewLive with options.
func NewLiveOpts(dir string, logger *slog.Logger, opts *LiveOpts) (*Live, error) {
	l := &Live{dir: dir, logger: logger, now: time.Now, debounce: 200 * time.Millisecond}
	if l.logger == nil {
		l.logger = slog.New(slog.DiscardHandler)
	}
	if opts != nil && opts.Now != nil {
		l.now = opts.Now
	}
	if opts != nil && opts.Debounce > 0 {
		l.debounce = opts.Debounce
	}
	set, err := Load(dir)
	if err != nil {
		return nil, err
	}
	l.current.Store(set)
	now := l.now()
	l.status = LiveStatus{Dir: dir, Version: set.Version(), Partners: set.Len(), LoadedAt: now, LastAttempt: now}
	l.logger.Info("partner configuration loaded", "dir", dir, "version", set.Version(), "partners", set.Len())
	return l, nil
}

// Current returns the current Set.
func (l *Live) Current() *Set { return l.current.Load() }

// Status returns a copy of the current status.
func (l *Live) Status() LiveStatus {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.status
	st.Problems = slices.Clone(st.Problems)
	return st
}

// Reload loads the directory again. On success the new Set replaces the
// current one, unless its Version is the same; on failure the current Set stays, and the error (a
// *LoadError) is logged, recorded in Status and returned.
func (l *Live) Reload() error {
	l.reloadMu.Lock()
	defer l.reloadMu.Unlock()
	set, err := Load(l.dir)
	now := l.now()
	if err != nil {
		l.failed(now, err)
		return err
	}
	old := l.current.Load()
	changed := set.Version() != old.Version()
	if changed {
		l.current.Store(set)
	}
	l.succeeded(now, l.current.Load(), changed)
	if changed {
		l.logger.Info("partner configuration reloaded", "dir", l.dir,
			"old_version", old.Version(), "version", set.Version(), "partners", set.Len())
	}
	return nil
}

func (l *Live) succeeded(now time.Time, set *Set, changed bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.status.Version, l.status.Partners = set.Version(), set.Len()
	if changed {
		l.status.LoadedAt = now
	}
	l.status.LastAttempt = now
	l.status.LastError, l.status.Problems = "", nil
	l.status.Reloads++
}

func (l *Live) failed(now time.Time, err error) {
	var probs []Problem
	var le *LoadError
	if errors.As(err, &le) {
		probs = le.Problems
	}
	l.mu.Lock()
	l.status.LastAttempt = now
	l.status.LastError, l.status.Problems = err.Error(), probs
	l.status.Failures++
	version := l.status.Version
	l.mu.Unlock()
	l.logger.Error("partner configuration reload failed; keeping the last good configuration",
		"dir", l.dir, "version", version, "problems", len(probs), "error", err.Error())
}

func (l *Live) setWatching(on bool) {
	l.mu.Lock()
	l.status.Watching = on
	l.mu.Unlock()
}

// Watch reloads the directory whenever a file in it changes, until ctx is
// done; it then returns nil. It watches the directory rather than the files,
// so editors that write a new file and rename it over the old one, and
// directories of links swapped at once (Kubernetes ConfigMaps), are seen.
// Changes are debounced (LiveOpts.Debounce). Watch reloads once when it
// starts, to catch changes made since the last load. The error is that of
// setting up the watch.
func (l *Live) Watch(ctx context.Context) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("partners: watching %s: %w", l.dir, err)
	}
	defer w.Close()
	if err := w.Add(l.dir); err != nil {
		return fmt.Errorf("partners: watching %s: %w", l.dir, err)
	}
	_ = l.Reload() // logged and recorded
	l.setWatching(true)
	defer l.setWatching(false)
	return l.watchLoop(ctx, w)
}

func (l *Live) watchLoop(ctx context.Context, w *fsnotify.Watcher) error {
	timer := time.NewTimer(l.debounce)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return fmt.Errorf("partners: watching %s: the watcher closed", l.dir)
			}
			if ev.Op != fsnotify.Chmod {
				timer.Reset(l.debounce)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return fmt.Errorf("partners: watching %s: the watcher closed", l.dir)
			}
			l.logger.Warn("partner directory watch error; reloading to be safe", "dir", l.dir, "error", err.Error())
			timer.Reset(l.debounce)
		case <-timer.C:
			_ = l.Reload() // logged and recorded
			l.rewatch(w)
		}
	}
}

// rewatch watches the directory again after it was removed or renamed and
// came back. While it is gone, Status().Watching is false.
func (l *Live) rewatch(w *fsnotify.Watcher) {
	if len(w.WatchList()) > 0 {
		return
	}
	err := w.Add(l.dir)
	if err != nil {
		l.logger.Warn("partner directory is no longer watched; use Reload", "dir", l.dir, "error", err.Error())
	}
	l.setWatching(err == nil)
}
