// Package gateway will hold the running service: configuration, the HTTP
// API, the AS2 endpoint, the SFTP server, pollers, the ingest pipeline over
// edi.Process, storage and jobs. It is empty until the gateway core issue
// lands.
package gateway
