package clock

import "testing"

// TestAdder checks the assembly chain's arithmetic: 16·n additions of inc.
func TestAdder(t *testing.T) {
	if adder == nil {
		t.Skip("no addition chain on this architecture")
	}
	for _, c := range []struct{ n, inc, want int }{{0, 5, 0}, {-3, 5, 0}, {1, 1, 16}, {1000, 3, 48000}, {7, -2, -224}} {
		if got := adder(c.n, c.inc); got != c.want {
			t.Errorf("adder(%d, %d) = %d, want %d", c.n, c.inc, got, c.want)
		}
	}
}
