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
