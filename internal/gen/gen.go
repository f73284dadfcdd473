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
// torch; torch.sh runs each script with it). Running the generators again
// on the same PyTorch gives the same files. The fixtures are committed: the
// tests never need Python.
package gen

//go:generate sh torch.sh layer.py
//go:generate sh torch.sh layer2.py
//go:generate sh torch.sh loss.py
//go:generate sh torch.sh loss2.py
//go:generate sh torch.sh sgd.py
//go:generate sh torch.sh adam.py
//go:generate sh torch.sh sched.py
//go:generate sh torch.sh clip.py
//go:generate sh torch.sh lesson.py
//go:generate sh torch.sh torchfile.py
//go:generate go run ./pentesave
//go:generate sh torch.sh models.py
//go:generate sh torch.sh mnist.py
