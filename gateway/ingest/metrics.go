package ingest

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts what processing finds, per partner. A nil *Metrics counts
// nothing.
type Metrics struct {
	files      *prometheus.CounterVec
	sets       *prometheus.CounterVec
	documents  *prometheus.CounterVec
	errors     *prometheus.CounterVec
	duplicates *prometheus.CounterVec
	latency    *prometheus.HistogramVec
}

// NewMetrics registers the pipeline's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		files: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "partnergate_files_processed_total",
			Help: "Files processed, by partner and resulting status."}, []string{"partner", "status"}),
		sets: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "partnergate_transaction_sets_total",
			Help: "Transaction sets processed, by partner, set and status."}, []string{"partner", "set", "status"}),
		documents: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "partnergate_documents_total",
			Help: "Canonical documents kept, by partner."}, []string{"partner"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "partnergate_errors_total",
			Help: "Findings, by partner, level (interchange, group, set, segment, element) and acknowledgment code."},
			[]string{"partner", "level", "code"}),
		duplicates: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "partnergate_duplicates_total",
			Help: "Duplicates found, by partner and layer (file, interchange, document)."}, []string{"partner", "layer"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "partnergate_processing_latency_seconds",
			Help:    "Time from a file's receipt to its acknowledgments being ready, by partner.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2, 14)}, []string{"partner"}),
	}
	reg.MustRegister(m.files, m.sets, m.documents, m.errors, m.duplicates, m.latency)
	return m
}

func (m *Metrics) observe(o *outcome) {
	if m == nil {
		return
	}
	partner := o.file.PartnerID
	m.files.WithLabelValues(partner, o.status).Inc()
	for k, n := range o.counts.sets {
		m.sets.WithLabelValues(partner, k[0], k[1]).Add(float64(n))
	}
	m.documents.WithLabelValues(partner).Add(float64(o.sum.Documents))
	for k, n := range o.counts.findings {
		m.errors.WithLabelValues(partner, k[0], k[1]).Add(float64(n))
	}
	d := o.sum.Duplicates
	if d.File {
		m.duplicates.WithLabelValues(partner, "file").Inc()
	}
	m.duplicates.WithLabelValues(partner, "interchange").Add(float64(d.Interchanges))
	m.duplicates.WithLabelValues(partner, "document").Add(float64(d.Documents))
	m.latency.WithLabelValues(partner).Observe(o.latency)
}
