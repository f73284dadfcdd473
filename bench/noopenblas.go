//go:build !openblas

package main

// openblasLibrary returns no library: this binary was built without
// -tags openblas, so it needs no cgo.
func openblasLibrary() (*library, openblasInfo) {
	return nil, openblasInfo{}
}
