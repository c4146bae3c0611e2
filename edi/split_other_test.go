//go:build !amd64 || purego

package edi

// wordSplitters returns the implementations of splitWords this machine runs.
func wordSplitters() []namedSplitter {
	return []namedSplitter{{"splitWordsGeneric", splitWordsGeneric}}
}
