package delivery

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/partnergate/partnergate/outbound"
)

// Metrics are the delivery metrics. A nil *Metrics records nothing.
type Metrics struct {
	attempts *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// NewMetrics registers the delivery metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "partnergate_delivery_attempts_total",
			Help: "Delivery attempts by destination and the delivery's resulting status (delivered, pending = to retry, rejected, dead).",
		}, []string{"destination", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "partnergate_delivery_request_seconds",
			Help:    "Time from sending a document to a destination to its answer, or to the failure.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2, 13),
		}, []string{"destination"}),
	}
	reg.MustRegister(m.attempts, m.latency)
	return m
}

func (m *Metrics) observe(destination, status string, res *outbound.Result) {
	if m == nil {
		return
	}
	m.attempts.WithLabelValues(destination, status).Inc()
	m.latency.WithLabelValues(destination).Observe(res.Latency.Seconds())
}
