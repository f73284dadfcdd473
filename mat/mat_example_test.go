package mat_test

import (
	"fmt"

	"github.com/pente-go/pente/mat"
)

// A linear layer's forward pass, y = x·Wᵀ, as PyTorch's
// torch.nn.functional.linear(x, W) computes it.
func ExampleGemm() {
	x := mat.NewDense(2, 3, []float32{
		1, 2, 3,
		4, 5, 6,
	})
	w := mat.NewDense(2, 3, []float32{ // out×in, as nn.Linear stores it
		1, 0, -1,
		0.5, 0.5, 0.5,
	})
	y := mat.NewDense(2, 2, nil)
	mat.Gemm(mat.NoTrans, mat.Trans, 1, x, w, 0, y)
	fmt.Println(y)
	// Output: 2×2 [-2 3; -2 7.5]
}

// Views share memory with their parent: Gemm can write into a block of a
// larger matrix, here the right half of c, as c[:, 2:] = a @ b in PyTorch.
func ExampleDense_Slice() {
	a := mat.NewDense(2, 2, []float32{1, 2, 3, 4})
	b := mat.NewDense(2, 2, []float32{1, 0, 0, 1})
	c := mat.NewDense(2, 4, nil)
	mat.Gemm(mat.NoTrans, mat.NoTrans, 1, a, b, 0, c.Slice(0, 2, 2, 4))
	fmt.Println(c)
	// Output: 2×4 [0 0 1 2; 0 0 3 4]
}

// The SGD update θ −= lr·∇θ, PyTorch's param.data.add_(param.grad, alpha=-lr).
func ExampleAxpy() {
	theta := []float32{1, 2, 3}
	grad := []float32{10, -10, 0}
	mat.Axpy(-0.01, grad, theta)
	fmt.Println(theta)
	// Output: [0.9 2.1 3]
}

// Shapes are checked before anything is computed.
func ExampleGemm_shapeMismatch() {
	defer func() { fmt.Println(recover()) }()
	mat.Gemm(mat.NoTrans, mat.NoTrans, 1, mat.NewDense(1, 15, nil), mat.NewDense(16, 8, nil), 0, mat.NewDense(1, 8, nil))
	// Output: mat: Gemm: op(A) is 1×15 but op(B) is 16×8
}
