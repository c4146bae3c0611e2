//go:build !amd64 || purego

package edi

// splitWords writes the offsets of the separators in raw into ends, which
// has room for len(raw)+1, and returns how many, a non-zero value when a
// control character was seen, and the offset up to which it looked.
func splitWords(raw []byte, sep byte, ends []int32) (n int, ctrl uint64, i int) {
	return splitWordsGeneric(raw, sep, ends)
}
