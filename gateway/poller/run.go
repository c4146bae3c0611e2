package poller

import (
	"context"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/partnergate/partnergate/partners"
)

// Run polls every partner with a remote_sftp channel on its schedule
// (robfig/cron's standard five-field syntax or a descriptor such as
// "@every 30s", in the local time zone unless it starts with CRON_TZ=),
// until ctx is done. It looks for a new partner configuration every
// ReloadEvery and reschedules the partners whose schedule changed; a poll
// always uses the configuration current when it starts. Suspended partners
// are not polled. A partner whose server cannot be reached is skipped
// until its backoff has passed. Run returns nil once ctx is done and the
// running polls have ended.
func (p *Poller) Run(ctx context.Context) error {
	c := cron.New(cron.WithParser(cronParser()), cron.WithLogger(cron.DiscardLogger))
	sc := &scheduler{p: p, cron: c, entries: map[string]entry{}}
	sc.sync(ctx)
	c.Start()
	defer func() { <-c.Stop().Done() }()
	t := time.NewTicker(p.cfg.ReloadEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			sc.sync(ctx)
		}
	}
}

func cronParser() cron.Parser {
	return cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
}

// scheduler keeps one cron entry per polled partner.
type scheduler struct {
	p       *Poller
	cron    *cron.Cron
	version string
	entries map[string]entry // by partner ID
}

type entry struct {
	id       cron.EntryID
	schedule string
}

// sync reschedules the partners when the configuration changed.
func (sc *scheduler) sync(ctx context.Context) {
	set := sc.p.cfg.Partners.Current()
	if set.Version() == sc.version {
		return
	}
	sc.version = set.Version()
	want := schedules(set)
	for id, e := range sc.entries {
		if want[id] != e.schedule {
			sc.cron.Remove(e.id)
			delete(sc.entries, id)
		}
	}
	for id, spec := range want {
		if _, ok := sc.entries[id]; !ok {
			sc.add(ctx, id, spec)
		}
	}
	sc.p.log.InfoContext(ctx, "poll schedules loaded", "version", sc.version, "partners", len(sc.entries))
}

func (sc *scheduler) add(ctx context.Context, id, spec string) {
	schedule, err := cronParser().Parse(spec)
	if err != nil {
		sc.p.log.ErrorContext(ctx, "partner not polled: bad schedule", "partner", id, "schedule", spec, "error", err.Error())
		return
	}
	eid := sc.cron.Schedule(schedule, cron.FuncJob(func() { sc.p.tick(ctx, id) }))
	sc.entries[id] = entry{id: eid, schedule: spec}
}

// schedules returns the schedule of each polled partner of a set.
func schedules(set *partners.Set) map[string]string {
	want := map[string]string{}
	for _, partner := range set.All() {
		rc := partner.Channels.RemoteSFTP
		if rc == nil || partner.Status == partners.StatusSuspended {
			continue
		}
		want[partner.ID] = or(rc.Schedule, partners.DefaultRemoteSchedule)
	}
	return want
}

// tick is a scheduled poll of a partner. It is skipped while the partner's
// previous scheduled poll runs or its backoff lasts, and waits for a free
// slot of Concurrency.
func (p *Poller) tick(ctx context.Context, partnerID string) {
	partner, err := p.partner(partnerID)
	if err != nil || !p.begin(ctx, partnerID) {
		return
	}
	defer p.end(partnerID)
	select {
	case p.sem <- struct{}{}:
		defer func() { <-p.sem }()
	case <-ctx.Done():
		return
	}
	_, _ = p.poll(ctx, partner) // logged and recorded
}

// begin marks a partner's scheduled poll as running, unless it already is
// or the partner is backing off.
func (p *Poller) begin(ctx context.Context, partnerID string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.stateOf(partnerID)
	if st.running {
		return false
	}
	if now := p.cfg.Now(); now.Before(st.retryAt) {
		p.log.DebugContext(ctx, "scheduled poll skipped: backing off", "partner", partnerID,
			"failures", st.failures, "retry_at", st.retryAt)
		return false
	}
	st.running = true
	return true
}

func (p *Poller) end(partnerID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stateOf(partnerID).running = false
}
