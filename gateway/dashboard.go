package gateway

import (
	"github.com/partnergate/partnergate/gateway/web"
	"github.com/partnergate/partnergate/gateway/web/ui"
)

// withDashboard adds the dashboard under /ui to the API's dependencies: the
// same store, partners, staff tokens and exception reviewer.
func withDashboard(d web.Deps, app *App, cfg *Config) (web.Deps, error) {
	ud := ui.Deps{Store: app.Store, DB: app.Pool, Partners: app.Partners, Staff: d.Staff, Logger: app.Logger,
		StaffNamed: staffBy(cfg.StaffByName)}
	if app.Reviewer != nil {
		ud.Reviewer = app.Reviewer
	}
	h, err := ui.New(ud)
	if err != nil {
		return d, err
	}
	d.UI = h
	return d, nil
}

// staffBy turns a lookup of the configured staff (by token or by name)
// into the web's.
func staffBy(lookup func(string) (*StaffToken, bool)) func(string) (web.Staff, bool) {
	return func(key string) (web.Staff, bool) {
		s, ok := lookup(key)
		if !ok {
			return web.Staff{}, false
		}
		return web.Staff{Name: s.Name, Role: s.Role}, true
	}
}
