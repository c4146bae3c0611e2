package sftpd

import (
	"bytes"
	"io"
	"testing"
)

func TestPrefixOutOfOrder(t *testing.T) {
	t.Parallel()
	p := newPrefix()
	steps := []struct{ off, end, want int64 }{
		{10, 20, 0}, {30, 40, 0}, {0, 5, 5}, {5, 10, 20}, {20, 25, 25}, {25, 30, 40}, {35, 38, 40}, {0, 10, 40},
	}
	for _, s := range steps {
		if got := p.wrote(s.off, s.end); got != s.want {
			t.Fatalf("wrote [%d, %d): gapless %d, want %d", s.off, s.end, got, s.want)
		}
	}
}

func TestPrefixReader(t *testing.T) {
	t.Parallel()
	data := []byte("0123456789abcdefghij")
	p := newPrefix()
	r := &prefixReader{p: p, f: bytes.NewReader(data)}
	got := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(r)
		got <- b
	}()
	p.wrote(10, 20)
	p.wrote(0, 10)
	p.finish(20, false)
	if b := <-got; !bytes.Equal(b, data) {
		t.Errorf("read %q", b)
	}
	failed := newPrefix()
	failed.wrote(0, 5)
	failed.finish(0, true)
	if _, err := io.ReadAll(&prefixReader{p: failed, f: bytes.NewReader(data)}); err != errAborted {
		t.Errorf("a failed upload reads with %v", err)
	}
}
