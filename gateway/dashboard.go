package gateway

import (
	"github.com/partnergate/partnergate/gateway/web"
	"github.com/partnergate/partnergate/gateway/web/ui"
)

// withDashboard adds the dashboard under /ui to the API's dependencies: the
// same store, partners, staff tokens and exception reviewer.
func withDashboard(d web.Deps, app *App, cfg *Config) (web.Deps, error) {
	ud := ui.Deps{Store: app.Store, DB: app.Pool, Partners: app.Partners, Staff: d.Staff, Logger: app.Logger,
		StaffNamed: func(name string) (web.Staff, bool) {
			s, ok := cfg.StaffByName(name)
			if !ok {
				return web.Staff{}, false
			}
			return web.Staff{Name: s.Name, Role: s.Role}, true
		}}
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
