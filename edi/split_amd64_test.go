//go:build amd64 && !purego

package edi

// wordSplitters returns the implementations of splitWords this machine runs.
func wordSplitters() []namedSplitter {
	s := []namedSplitter{{"splitWordsGeneric", splitWordsGeneric}, {"splitWordsSSE2", splitWordsSSE2}}
	if useAVX2 {
		s = append(s, namedSplitter{"splitWordsAVX2", splitWordsAVX2})
	}
	return s
}
