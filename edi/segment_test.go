package edi

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// naiveSplit is the obvious byte-by-byte split the SWAR versions must match.
func naiveSplit(raw []byte, sep byte) ([]int32, bool) {
	var ends []int32
	ctrl := false
	for i, c := range raw {
		switch {
		case c == sep:
			ends = append(ends, int32(i))
		case c < 0x20 || c == 0x7f:
			ctrl = true
		}
	}
	return append(ends, int32(len(raw))), ctrl
}

func TestSplitElementsMatchesNaive(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("AB09*~:^ .-\x00\x1f\x7f\x80\xff")
	for n := 0; n < 5000; n++ {
		raw := make([]byte, r.IntN(40))
		for i := range raw {
			raw[i] = alphabet[r.IntN(len(alphabet))]
		}
		sep := alphabet[r.IntN(len(alphabet))]
		want, wantCtrl := naiveSplit(raw, sep)
		if got := splitElements(raw, sep, nil); !slices.Equal(got, want) {
			t.Fatalf("splitElements(%q, %q) = %v, want %v", raw, sep, got, want)
		}
		got, ctrl := splitElementsCtrl(raw, sep, nil)
		if !slices.Equal(got, want) || ctrl != wantCtrl {
			t.Fatalf("splitElementsCtrl(%q, %q) = %v %v, want %v %v", raw, sep, got, ctrl, want, wantCtrl)
		}
	}
}

// wordSplitter is the type of splitWords and of its implementations.
type wordSplitter func(raw []byte, sep byte, ends []int32) (int, uint64, int)

// namedSplitter is an implementation of splitWords with its name.
type namedSplitter struct {
	name  string
	split wordSplitter
}

// checkSplitWords compares each implementation of splitWords this machine
// runs with a byte loop over the part of raw it reports having looked at.
func checkSplitWords(t *testing.T, raw []byte, sep byte) {
	t.Helper()
	for _, s := range wordSplitters() {
		checkSplitter(t, s.name, s.split, raw, sep)
	}
}

// checkSplitter compares split with a byte loop over the part of raw it
// reports having looked at, and checks that it wrote only inside the room
// the caller makes.
func checkSplitter(t *testing.T, name string, split wordSplitter, raw []byte, sep byte) {
	t.Helper()
	const guard = -7
	buf := make([]int32, len(raw)+1+16)
	for k := range buf {
		buf[k] = guard
	}
	n, ctrl, i := split(raw, sep, buf[:len(raw)+1])
	if i < 0 || i > len(raw) {
		t.Fatalf("%s(%q, %q) looked up to %d", name, raw, sep, i)
	}
	if len(raw) >= 16 && i != len(raw) {
		t.Fatalf("%s(%q, %q) left %d of %d bytes", name, raw, sep, len(raw)-i, len(raw))
	}
	var want []int32
	wantCtrl := false
	for k, c := range raw[:i] {
		if c == sep {
			want = append(want, int32(k))
		}
		if c < 0x20 || c == 0x7f {
			wantCtrl = true
		}
	}
	if n > len(raw) || !slices.Equal(buf[:n], want) || (ctrl != 0) != wantCtrl {
		t.Fatalf("%s(%q, %q) = %v %v, want %v %v", name, raw, sep, buf[:min(n, len(raw))], ctrl != 0, want, wantCtrl)
	}
	for k, v := range buf[len(raw)+1:] {
		if v != guard {
			t.Fatalf("%s(%q, %q) wrote past its room at %d", name, raw, sep, len(raw)+1+k)
		}
	}
}

// TestSplitWords runs checkSplitWords on random inputs of every length up
// to 100 with every separator: without control bytes, with one control
// byte or DEL anywhere, and with many.
func TestSplitWords(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	plain := []byte("AB09*~:^ .-\x20\x7e\x80\x9f\xa0\xdf\xe0\xff")
	ctrl := []byte("\x00\x01\x09\x0a\x1f\x7f")
	for sep := range 256 {
		for size := range 101 {
			raw := make([]byte, size)
			for controls := range 3 {
				for k := range raw {
					raw[k] = plain[r.IntN(len(plain))]
					switch {
					case r.IntN(8) == 0:
						raw[k] = byte(sep)
					case controls == 2 && r.IntN(8) == 0:
						raw[k] = ctrl[r.IntN(len(ctrl))]
					}
				}
				if controls == 1 && size > 0 {
					raw[r.IntN(size)] = ctrl[r.IntN(len(ctrl))]
				}
				checkSplitWords(t, raw, byte(sep))
			}
		}
	}
}

// FuzzSplitWords checks the implementations of splitWords against the byte
// loop for any input and separator.
func FuzzSplitWords(f *testing.F) {
	f.Add([]byte("ISA*00*          *00*          *ZZ*SENDER         ~"), byte('*'))
	f.Add([]byte("N1*ST*WAREHOUSE\x7f*92*0001"), byte('*'))
	f.Add([]byte("A\x00B\x1fC*D\x80E\xffF*************************"), byte('\x1f'))
	f.Fuzz(func(t *testing.T, raw []byte, sep byte) {
		checkSplitWords(t, raw, sep)
	})
}
