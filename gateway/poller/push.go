package poller

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/partnergate/partnergate/gateway/store"
	"github.com/partnergate/partnergate/partners"
)

// pushPage is how many outbox items are listed at a time.
const pushPage = 100

// push delivers every outbox item of the partner not yet picked up, oldest
// first. An item that fails stays in the outbox and its error is joined to
// the others; the other items are still delivered.
func (p *Poller) push(ctx context.Context, s *session, partner *partners.Partner, res *PollResult) error {
	var errs []error
	for after := int64(0); ctx.Err() == nil; {
		items, err := p.cfg.Store.ListOutbox(ctx, p.cfg.Pool, &store.ListOutboxParams{PartnerID: partner.ID, After: after, Limit: pushPage})
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		for _, it := range items {
			after = it.ID
			pushed, err := p.pushItem(ctx, s, partner, it.ID)
			if err != nil {
				errs = append(errs, fmt.Errorf("poller: %s: outbox item %d to %s: %w", partner.ID, it.ID, s.addr, err))
				continue
			}
			res.Pushed = append(res.Pushed, *pushed)
		}
		if len(items) < pushPage {
			break
		}
	}
	return errors.Join(errs...)
}

// pushItem uploads one outbox item under a temporary name, renames it to its
// final name and marks it picked up.
func (p *Poller) pushItem(ctx context.Context, s *session, partner *partners.Partner, id int64) (*Pushed, error) {
	it, err := p.cfg.Store.GetOutbox(ctx, p.cfg.Pool, partner.ID, id)
	if err != nil {
		return nil, err
	}
	dir := partner.Channels.RemoteSFTP.OutboundDir
	name := outboxName(it)
	final, tmp := path.Join(dir, name), path.Join(dir, "."+name+".part")
	if err := upload(s, tmp, it.Body); err != nil {
		_ = s.sftp.Remove(tmp)
		return nil, err
	}
	if err := renameOver(s, tmp, final); err != nil {
		_ = s.sftp.Remove(tmp)
		return nil, err
	}
	dctx, cancel := detached(ctx)
	defer cancel()
	if err := p.cfg.Store.PickUp(dctx, p.cfg.Pool, partner.ID, it.ID); err != nil {
		return nil, fmt.Errorf("delivered as %s but not marked picked up; it will be delivered again: %w", final, err)
	}
	return &Pushed{OutboxID: it.ID, RemotePath: final}, nil
}

func upload(s *session, name string, body []byte) error {
	f, err := s.sftp.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
	if err != nil {
		return err
	}
	_, err = f.Write(body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// outboxName is the remote name of an item: its file name, without any
// folder, or "outbox-<id>" when it has none usable.
func outboxName(it *store.OutboxItem) string {
	name := path.Base(strings.ReplaceAll(it.Filename, "\\", "/"))
	if name == "" || name == "." || name == ".." || name == "/" || strings.HasPrefix(name, ".") {
		return fmt.Sprintf("outbox-%d", it.ID)
	}
	return name
}
