package checkpoint_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/pente-go/pente/checkpoint"
	"github.com/pente-go/pente/internal/testkit"
	"github.com/pente-go/pente/layer"
	"github.com/pente-go/pente/loss"
	"github.com/pente-go/pente/sgd"
)

// adamRun is a training run with Adam or AdamW.
type adamRun struct {
	model *layer.Sequential
	crit  *loss.CrossEntropy
	opt   *sgd.Adam
}

func newAdamRun(t *testing.T, seed uint64, cfg sgd.AdamConfig, decoupled, flat bool) *adamRun {
	g := layer.ManualSeed(seed)
	m := layer.NewSequential(layer.NewLinear(6, 5, g), layer.NewTanh(), layer.NewLinear(5, 3, g))
	params := m.Params()
	if !flat {
		params = append(params[1:], params[0])
	}
	newOpt := sgd.NewAdam
	if decoupled {
		newOpt = sgd.NewAdamW
	}
	opt, err := newOpt(params, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &adamRun{m, loss.NewCrossEntropy(), opt}
}

func (r *adamRun) steps(from, to int) {
	for i := from; i < to; i++ {
		x, y := batch(i)
		r.opt.ZeroGrad()
		r.crit.Forward(r.model.Forward(x), y)
		r.model.Backward(r.crit.Backward())
		r.opt.Step()
	}
}

// TestResumeAdamBitForBit is TestResumeBitForBit for Adam and AdamW: the
// checkpoint holds exp_avg, exp_avg_sq, max_exp_avg_sq and the step
// count, so that the bias corrections of the resumed run are the
// uninterrupted run's.
func TestResumeAdamBitForBit(t *testing.T) {
	adam, adamW := sgd.AdamDefaults(), sgd.AdamWDefaults()
	adam.LR, adamW.LR = 0.01, 0.01
	wd := adam
	wd.WeightDecay = 0.05
	ams := adamW
	ams.AMSGrad, ams.Beta1, ams.Beta2 = true, 0.8, 0.95
	maxi := adam
	maxi.Maximize, maxi.Eps = true, 1e-6
	cases := []struct {
		cfg       sgd.AdamConfig
		decoupled bool
	}{{adam, false}, {wd, false}, {maxi, false}, {adamW, true}, {ams, true}}
	dir := t.TempDir()
	for ci, c := range cases {
		for _, flat := range []bool{true, false} {
			for _, n := range []int{0, 1, 7} {
				name := fmt.Sprintf("%+v decoupled=%v flat=%v N=%d", c.cfg, c.decoupled, flat, n)
				const m = 6
				whole := newAdamRun(t, 1, c.cfg, c.decoupled, flat)
				whole.steps(0, n+m)

				first := newAdamRun(t, 1, c.cfg, c.decoupled, flat)
				first.steps(0, n)
				path := filepath.Join(dir, fmt.Sprintf("adam%d.safetensors", ci))
				if err := checkpoint.Save(path, first.model, first.opt, checkpoint.Info{Step: int64(n)}); err != nil {
					t.Fatal(err)
				}
				second := newAdamRun(t, 99, c.cfg, c.decoupled, flat)
				info, err := checkpoint.Load(path, second.model, second.opt)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				second.steps(int(info.Step), n+m)
				for i, p := range whole.model.Params() {
					if !testkit.SameBits(p.Value.Data, second.model.Params()[i].Value.Data) {
						t.Errorf("%s: %s differs after resuming", name, p.Name)
					}
				}
				wt, wc := whole.opt.State()
				st, sc := second.opt.State()
				if len(wt) != len(st) || len(wc) != len(sc) {
					t.Fatalf("%s: state of %d tensors and %d counters, want %d and %d", name, len(st), len(sc), len(wt), len(wc))
				}
				for k, v := range wt {
					if !testkit.SameBits(v, st[k]) {
						t.Errorf("%s: state %s differs", name, k)
					}
				}
				for k, v := range wc {
					if sc[k] != v {
						t.Errorf("%s: counter %s is %d, want %d", name, k, sc[k], v)
					}
				}
			}
		}
	}
}
