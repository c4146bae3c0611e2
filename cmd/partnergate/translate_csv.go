package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/partnergate/partnergate/flatfile"
	"github.com/partnergate/partnergate/partners"
)

// csvProfiles returns the CSV profiles of partner id in dir, for
// translate's --partners and --partner.
func csvProfiles(dir, id string) ([]flatfile.Profile, error) {
	set, err := partners.Load(dir)
	if err != nil {
		return nil, err
	}
	p, ok := set.ByID(id)
	if !ok {
		return nil, fmt.Errorf("no partner %q in %s", id, dir)
	}
	return p.CSV, nil
}

// csvResult is one document's line of the output's "results".
type csvResult struct {
	Key    string   `json:"key"`
	Row    int      `json:"row"`
	Status string   `json:"status"`
	Errors []string `json:"errors"`
}

// translateCSV writes the JSON result of a CSV file read by a partner's
// profile: the accepted documents, every document's result, the result
// file the partner would get, the status and the counts. It reports
// whether every document was accepted.
func translateCSV(name string, stdin io.Reader, out *bufio.Writer, pretty bool, prof *flatfile.Profile) (bool, error) {
	in, done, err := seekable(name, stdin)
	if err != nil {
		return false, err
	}
	defer done()
	j := newJSONStream(out, pretty)
	j.BeginObject()
	j.Field("file", name)
	j.Field("profile", prof.Name)
	j.Key("documents")
	j.BeginArray()
	var results []csvResult
	var resultFile bytes.Buffer
	rw := flatfile.NewResultWriter(&resultFile, prof)
	sum, err := flatfile.Process(in, prof, func(res *flatfile.DocResult) error {
		if res.Doc != nil {
			res.Doc.Head().Source.Filename = filepath.Base(name)
			j.Value(res.Doc)
		}
		results = append(results, resultOf(res))
		return rw.Write(res)
	})
	if err == nil && sum.FileError != nil {
		err = rw.WriteFileError(sum.FileError)
	}
	if err == nil {
		err = rw.Flush()
	}
	if err != nil {
		return false, fmt.Errorf("%s: %w", name, err)
	}
	j.EndArray()
	j.Field("results", results)
	j.Field("result_file", resultFile.String())
	ok := sum.Rejected == 0 && sum.FileError == nil && sum.Accepted > 0
	j.Field("status", map[bool]string{true: "accepted", false: "rejected"}[ok])
	j.Field("summary", map[string]any{"documents": sum.Documents, "accepted": sum.Accepted, "rejected": sum.Rejected,
		"rows": sum.Rows, "file_error": errString(sum.FileError)})
	j.EndObject()
	out.WriteByte('\n')
	if j.err != nil {
		return false, fmt.Errorf("%s: encoding output: %w", name, j.err)
	}
	return ok, nil
}

func resultOf(res *flatfile.DocResult) csvResult {
	r := csvResult{Key: res.Key, Row: res.Row, Status: string(res.Status), Errors: []string{}}
	for _, e := range res.Errors {
		r.Errors = append(r.Errors, e.Error())
	}
	return r
}

func errString(e *flatfile.RowError) string {
	if e == nil {
		return ""
	}
	return e.Error()
}

// seekable opens name, or reads standard input whole for "-": a profile
// that rejects the whole file on any error reads it twice. done closes it.
func seekable(name string, stdin io.Reader) (rs io.ReadSeeker, done func(), err error) {
	if name == "-" {
		b, err := io.ReadAll(stdin)
		return bytes.NewReader(b), func() {}, err
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}
