module github.com/pente-go/pente/gonumblas

go 1.26.0

require (
	github.com/klauspost/cpuid/v2 v2.4.2
	github.com/pente-go/pente v0.0.0-00010101000000-000000000000
	gonum.org/v1/gonum v0.17.0
)

require golang.org/x/sys v0.50.0 // indirect

replace github.com/pente-go/pente => ../
