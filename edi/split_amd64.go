//go:build amd64 && !purego

package edi

import "golang.org/x/sys/cpu"

// useAVX2 tells whether splitWords may use AVX2 and the BMI1 and BMI2 bit
// instructions.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasBMI1 && cpu.X86.HasBMI2

// splitWords writes the offsets of the separators in raw into ends, which
// has room for len(raw)+1, and returns how many, a non-zero value when a
// control character was seen, and the offset up to which it looked.
// It is splitWordsAVX2 when useAVX2, else splitWordsSSE2.
//
//go:noescape
func splitWords(raw []byte, sep byte, ends []int32) (n int, ctrl uint64, i int)

// splitWordsSSE2 is splitWords sixteen bytes at a time; below eight bytes it
// leaves everything to the caller.
//
//go:noescape
func splitWordsSSE2(raw []byte, sep byte, ends []int32) (n int, ctrl uint64, i int)

// splitWordsAVX2 is splitWords thirty-two bytes at a time; below eight bytes
// it leaves everything to the caller.
//
//go:noescape
func splitWordsAVX2(raw []byte, sep byte, ends []int32) (n int, ctrl uint64, i int)
