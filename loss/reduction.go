package loss

import "fmt"

// Reduction says how a loss combines the losses of the samples of a batch,
// PyTorch's reduction argument.
type Reduction int

const (
	Mean Reduction = iota // reduction="mean": the (weighted) average; the default
	Sum                   // reduction="sum": the sum
	None                  // reduction="none": per-sample losses, read with Losses
)

func (r Reduction) String() string {
	switch r {
	case Mean:
		return "Mean"
	case Sum:
		return "Sum"
	case None:
		return "None"
	}
	return fmt.Sprintf("Reduction(%d)", int(r))
}

// check panics unless r is one of Mean, Sum and None.
func (r Reduction) check(loss string) {
	if r < Mean || r > None {
		panic(fmt.Sprintf("loss.%s: unknown %v", loss, r))
	}
}
