package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/partnergate/partnergate/partners"
)

// readyTimeout bounds a /readyz check.
const readyTimeout = 5 * time.Second

// healthz is GET /healthz: the process serves.
func healthz(w http.ResponseWriter, _ *http.Request) {
	writeText(w, http.StatusOK, "ok\n")
}

// readyz is GET /readyz: 200 when Deps.Ready finds nothing wrong, else 503
// with the reason.
func (a *api) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := a.d.Ready(ctx); err != nil {
		a.log.WarnContext(r.Context(), "not ready", "request_id", RequestIDFrom(r.Context()), "error", err.Error())
		writeText(w, http.StatusServiceUnavailable, "not ready: "+err.Error()+"\n")
		return
	}
	writeText(w, http.StatusOK, "ok\n")
}

func writeText(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// registerConfigMetrics registers gauges and counters read from the partner
// configuration's status at each scrape, so a bad edit shows in metrics.
func registerConfigMetrics(reg prometheus.Registerer, live *partners.Live) error {
	status := func(f func(partners.LiveStatus) float64) func() float64 {
		return func() float64 { return f(live.Status()) }
	}
	cs := []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "partnergate_partner_config_ok",
			Help: "1 when the last load of the partner configuration succeeded, 0 when it failed and an older version is in force."},
			status(func(s partners.LiveStatus) float64 { return boolFloat(s.LastError == "") })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "partnergate_partner_config_reload_failures_total",
			Help: "Failed reloads of the partner configuration."},
			status(func(s partners.LiveStatus) float64 { return float64(s.Failures) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "partnergate_partner_config_reloads_total",
			Help: "Successful reloads of the partner configuration, changed or not."},
			status(func(s partners.LiveStatus) float64 { return float64(s.Reloads) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "partnergate_partner_config_loaded_timestamp_seconds",
			Help: "When the partner configuration in force was loaded, in Unix seconds."},
			status(func(s partners.LiveStatus) float64 { return float64(s.LoadedAt.UnixNano()) / 1e9 })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "partnergate_partners",
			Help: "Partners in the partner configuration in force."},
			status(func(s partners.LiveStatus) float64 { return float64(s.Partners) })),
	}
	cs = append(cs, certificateExpiry{live: live})
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("web: registering the partner configuration metrics: %w", err)
		}
	}
	return nil
}

var certificateExpiryDesc = prometheus.NewDesc("partnergate_partner_certificate_expiry_timestamp_seconds",
	"When a partner's AS2 certificate expires, in Unix seconds.", []string{"partner", "subject", "serial"}, nil)

// certificateExpiry reports the expiry of every partner's AS2 certificates
// in the configuration in force at each scrape.
type certificateExpiry struct{ live *partners.Live }

func (c certificateExpiry) Describe(ch chan<- *prometheus.Desc) { ch <- certificateExpiryDesc }

func (c certificateExpiry) Collect(ch chan<- prometheus.Metric) {
	for _, p := range c.live.Current().All() {
		if p.Channels.AS2 == nil {
			continue
		}
		for _, cert := range p.Channels.AS2.Certificates {
			ch <- prometheus.MustNewConstMetric(certificateExpiryDesc, prometheus.GaugeValue, float64(cert.NotAfter.Unix()),
				p.ID, cert.Subject.String(), cert.SerialNumber.String())
		}
	}
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
