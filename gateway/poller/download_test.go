package poller

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// fakeFile is a remote file whose Stat at the end says what stat says.
type fakeFile struct {
	io.Reader
	stat os.FileInfo
}

func (f *fakeFile) Stat() (os.FileInfo, error) { return f.stat, nil }

func info(t *testing.T, size int, mtime time.Time) os.FileInfo {
	t.Helper()
	fi, err := fstest.MapFS{"f": {Data: make([]byte, size), ModTime: mtime}}.Stat("f")
	if err != nil {
		t.Fatal(err)
	}
	return fi
}

// TestDownloadChanged fails a download whose file is not the one listed,
// so that Receive stores nothing of it.
func TestDownloadChanged(t *testing.T) {
	t.Parallel()
	then := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name    string
		body    string
		listed  os.FileInfo
		atEnd   os.FileInfo
		changed bool
	}{
		{"same", "abcd", info(t, 4, then), info(t, 4, then), false},
		{"grew", "abcdef", info(t, 4, then), info(t, 6, then), true},
		{"shrank", "ab", info(t, 4, then), info(t, 2, then), true},
		{"rewritten", "abcd", info(t, 4, then), info(t, 4, then.Add(time.Second)), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := &download{f: &fakeFile{Reader: strings.NewReader(c.body), stat: c.atEnd}, want: c.listed}
			got, err := io.ReadAll(d)
			if changed := errors.Is(err, ErrChanged); changed != c.changed || !changed && err != nil {
				t.Fatalf("read %q, error %v; want changed %v", got, err, c.changed)
			}
		})
	}
}
