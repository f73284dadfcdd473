// Package gen holds the generators behind go generate. Nothing imports it.
//
// The fixtures under layer/testdata, loss/testdata and sgd/testdata, and
// examples/lesson/testdata/pytorch.txt, are written by the Python scripts
// here from real PyTorch (Debian's python3-torch, 1.13):
//
//	apt-get install -y python3-torch
//	go generate ./internal/gen
//
// Set PYTHON to pick an interpreter other than python3 (one that imports
// torch). The fixtures are committed: the tests never need Python.
package gen

//go:generate sh -c "${PYTHON:-python3} layer.py"
//go:generate sh -c "${PYTHON:-python3} loss.py"
//go:generate sh -c "${PYTHON:-python3} sgd.py"
//go:generate sh -c "${PYTHON:-python3} lesson.py"
