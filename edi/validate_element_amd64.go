//go:build amd64 && !purego

package edi

// commonKindsOK checks the present elements of the kinds up to
// fastDate, but not for control characters, and returns the present
// elements as a bit set. fast has an entry for every element; ends, as
// split from raw, an offset for the tag and one for each element. It is
// commonKindsGeneric in assembly, which keeps every value of the loop in a
// register; it reads a fastElement by the offsets of its fields, which a
// test pins.
//
//go:noescape
func commonKindsOK(raw []byte, ends []int32, fast []fastElement, codes bool) (uint64, bool)
