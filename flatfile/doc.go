// Package flatfile will hold the CSV side of the gateway: dialects and
// encodings, per-partner column mappings into canonical documents, row-level
// errors and result files. It is empty until the flat-file issue lands.
package flatfile
