// Package outbound will hold deliveries: canonical documents to the ERP and
// WMS (idempotency, retries, dead letters, replay) and acknowledgments and
// documents to partners. It is empty until the delivery issues land.
package outbound
