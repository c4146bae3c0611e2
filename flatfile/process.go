package flatfile

import (
	"errors"
	"io"
)

// Summary counts the outcome of a file.
type Summary struct {
	// Documents, Accepted and Rejected count the document results.
	Documents, Accepted, Rejected int
	// Rows is the number of data rows, trailer rows excluded.
	Rows int
	// FileError is the error that stopped reading (an empty file, missing
	// columns, malformed CSV), or nil.
	FileError *RowError
}

// Process reads the file in rs by profile p and hands every document's
// result to emit, in file order, applying p.OnError: with
// OnErrorRejectFile, a file with any error has every document rejected
// (those without errors of their own get ErrFileRejected). Such a profile
// reads the file twice, seeking back to its start, so that memory stays
// bounded by one document. The error is p's ProfileErrors, emit's error or
// an I/O error; errors in the file are in the results and the Summary.
func Process(rs io.ReadSeeker, p *Profile, emit func(*DocResult) error) (Summary, error) {
	rejectAll := false
	if p.OnError == OnErrorRejectFile {
		start, err := rs.Seek(0, io.SeekCurrent)
		if err != nil {
			return Summary{}, err
		}
		if rejectAll, err = anyError(rs, p); err != nil {
			return Summary{}, err
		}
		if _, err := rs.Seek(start, io.SeekStart); err != nil {
			return Summary{}, err
		}
	}
	return run(rs, p, rejectAll, emit)
}

// anyError reads the file and reports whether any row has an error.
func anyError(r io.Reader, p *Profile) (bool, error) {
	rd, err := NewReader(r, p)
	if err != nil {
		return false, err
	}
	for {
		res, err := rd.Next()
		if err == io.EOF {
			return false, nil
		}
		var re *RowError
		if errors.As(err, &re) || (res != nil && res.Status == StatusRejected) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
	}
}

func run(r io.Reader, p *Profile, rejectAll bool, emit func(*DocResult) error) (Summary, error) {
	var s Summary
	rd, err := NewReader(r, p)
	if err != nil {
		return s, err
	}
	for {
		res, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var re *RowError
			if !errors.As(err, &re) {
				return s, err
			}
			s.FileError = re
			break
		}
		if rejectAll && res.Status == StatusAccepted {
			res.Status, res.Doc = StatusRejected, nil
			res.Errors = append(res.Errors, &RowError{Row: res.Row, Err: ErrFileRejected})
		}
		s.count(res)
		if err := emit(res); err != nil {
			return s, err
		}
	}
	s.Rows = rd.Rows()
	return s, nil
}

func (s *Summary) count(res *DocResult) {
	s.Documents++
	if res.Status == StatusAccepted {
		s.Accepted++
	} else {
		s.Rejected++
	}
}
