//go:build !amd64 || purego

package edi

// commonKindsOK checks the present elements of the kinds up to
// fastDate, but not for control characters, and returns the present
// elements as a bit set. fast has an entry for every element.
func commonKindsOK(raw []byte, ends []int32, fast []fastElement, codes bool) (uint64, bool) {
	return commonKindsGeneric(raw, ends, fast, codes)
}
