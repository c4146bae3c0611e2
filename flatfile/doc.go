// Package flatfile reads CSV files into canonical documents: the flat-file
// side of the gateway.
//
// A Profile (one entry of a partner's "csv:" list) says how a file is
// written (its Dialect and Encoding), which columns feed which canonical
// Field, which field groups consecutive rows into one document (Group),
// how dates, numbers and partner codes are read, and what an error rejects
// (OnError). A Reader streams the documents of one file, one DocResult per
// document, holding only the rows of the document being built; Process
// applies the profile's OnError policy over a whole file; a ResultWriter
// renders the results as the CSV result file the partner receives.
//
// Every error names its place in the file: it is a *RowError, whose Row is
// the line a person sees in an editor (skipped lines and the header count),
// whose Column is the header name (or "#3" for a position) and whose Value is
// the offending text, wrapping one of the ErrXxx sentinels.
//
// The package is pure: it reads from an io.Reader and touches neither the
// network nor the database.
package flatfile
