package review

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/partnergate/partnergate/gateway/store"
)

// RegisterMetrics registers on reg:
//
//   - partnergate_exceptions_open{partner,check}: the open exceptions,
//     counted in the database at each scrape, so that every gateway node
//     reports the same queue;
//   - partnergate_exceptions_total{partner,check,action}: the exceptions
//     this process raised, counted as processing and deliveries queue them
//     (store.Store.OnException). A run that fails and is retried counts its
//     exceptions again, and so does a reprocessed file that raises them
//     again.
//
// It sets st's exception hook, so it is called once per Store.
func RegisterMetrics(reg prometheus.Registerer, st *store.Store, db store.DB) error {
	raised := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "partnergate_exceptions_total",
		Help: "Exceptions raised by this process, by partner, check and action (reject, hold, warn).",
	}, []string{"partner", "check", "action"})
	open := &openCollector{st: st, db: db, desc: prometheus.NewDesc("partnergate_exceptions_open",
		"Open exceptions waiting for a person, by partner and check.", []string{"partner", "check"}, nil)}
	for _, c := range []prometheus.Collector{raised, open} {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	st.OnException(func(e *store.Exception) { raised.WithLabelValues(e.PartnerID, e.Check, e.Action).Inc() })
	return nil
}

// openCollector counts the open exceptions when scraped.
type openCollector struct {
	st   *store.Store
	db   store.DB
	desc *prometheus.Desc
}

// Describe implements prometheus.Collector.
func (c *openCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// scrapeTimeout bounds the count query of a scrape.
const scrapeTimeout = 5 * time.Second

// Collect implements prometheus.Collector; a failed query makes the scrape
// report an error rather than zeros.
func (c *openCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	counts, err := c.st.CountOpenExceptions(ctx, c.db)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for _, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n.Open), n.PartnerID, n.Check)
	}
}
