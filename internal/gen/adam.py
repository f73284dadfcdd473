"""Writes sgd/testdata/adam.json from PyTorch's torch.optim.Adam and AdamW.

Every case optimises five parameters of shapes 3×5, 1×7, 1×1, 2×9 and
5×13, drawn with randn after torch.manual_seed. Torch's CPU kernels work
in chunks of two vectors (16 floats with AVX2) and finish with scalar
code, so the lengths 15, 7 and 1 run only the scalar code, 18 and 65 both.
Each step sets a fresh random gradient on every parameter (p.grad is
assigned, not computed; its scale changes from step to step, and a few
elements are zero), may change the hyperparameters through
optimizer.param_groups[0] first, calls optimizer.step() (foreach=None:
_single_tensor_adam and _single_tensor_adamw) and records the parameters
and the state: exp_avg, exp_avg_sq, max_exp_avg_sq with amsgrad, and step.

Hyperparameters are written as the Python floats torch was given: the Go
side computes its float32 scalars from them as torch does.
"""

import torch

from fixture import mat, write

SHAPES = [(3, 5), (1, 7), (1, 1), (2, 9), (5, 13)]
NAMES = ["a", "b", "c", "d", "e"]
STEPS = 5

BASE = {"lr": 1e-3, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.0,
        "amsgrad": False, "maximize": False}


def config(**kw):
    c = dict(BASE)
    c.update(kw)
    return c


def run(name, seed, adamw, configs):
    """configs: the configuration of each step; the first one builds the
    optimizer, later ones are written into param_groups[0]."""
    torch.manual_seed(seed)
    params = [torch.nn.Parameter(torch.randn(*s)) for s in SHAPES]
    first = configs[0]
    cls = torch.optim.AdamW if adamw else torch.optim.Adam
    opt = cls(params, lr=first["lr"], betas=tuple(first["betas"]), eps=first["eps"],
              weight_decay=first["weight_decay"], amsgrad=first["amsgrad"], maximize=first["maximize"])
    case = {
        "name": name,
        "adamw": adamw,
        "params": [{"name": n, "value": mat(p)} for n, p in zip(NAMES, params)],
        "steps": [],
    }
    for k, c in enumerate(configs):
        group = opt.param_groups[0]
        for key, v in c.items():
            group[key] = tuple(v) if key == "betas" else v
        assert group["foreach"] is None  # so step() runs _single_tensor_adam(w)
        scale = [1.0, 1e-3, 30.0, 0.1, 1e2, 1e-2][k % 6]
        grads = []
        for s in SHAPES:
            g = torch.randn(*s) * scale
            g[torch.rand(*s) < 0.1] = 0.0
            grads.append(g)
        for p, g in zip(params, grads):
            p.grad = g.clone()
        opt.step()
        for p, g in zip(params, grads):
            assert torch.equal(p.grad, g), "step modified a gradient"
        st = [opt.state[p] for p in params]
        case["steps"].append({
            "config": c,
            "grads": [mat(g) for g in grads],
            "params": [mat(p) for p in params],
            "exp_avg": [mat(s["exp_avg"]) for s in st],
            "exp_avg_sq": [mat(s["exp_avg_sq"]) for s in st],
            "max_exp_avg_sq": [mat(s["max_exp_avg_sq"]) for s in st] if c["amsgrad"] else None,
            "step": [float(s["step"]) for s in st],
        })
    return case


def same(n=STEPS, **kw):
    return [config(**kw)] * n


def main():
    cases = []
    for adamw in (False, True):
        w = "adamw " if adamw else "adam "
        wd = 1e-2 if adamw else 0.0  # torch's default weight_decay of each
        s = 100 if adamw else 0
        cases += [
            run(w + "defaults", s + 1, adamw, same(weight_decay=wd)),
            run(w + "lr betas eps", s + 2, adamw, same(lr=0.05, betas=[0.8, 0.95], eps=1e-6, weight_decay=wd)),
            run(w + "weight decay", s + 3, adamw, same(lr=0.01, weight_decay=0.1)),
            run(w + "amsgrad", s + 4, adamw, same(lr=0.02, weight_decay=wd, amsgrad=True)),
            run(w + "maximize", s + 5, adamw, same(lr=0.02, weight_decay=wd, maximize=True)),
            run(w + "all options", s + 6, adamw,
                same(lr=0.03, betas=[0.85, 0.99], eps=1e-5, weight_decay=0.2, amsgrad=True, maximize=True)),
            run(w + "large eps", s + 7, adamw, same(lr=0.1, eps=0.5, weight_decay=wd)),
            run(w + "beta1 0 beta2 0", s + 8, adamw, same(lr=0.01, betas=[0.0, 0.0], weight_decay=wd)),
            run(w + "lr 0", s + 9, adamw, same(lr=0.0, weight_decay=0.1)),
            # changed between steps through param_groups[0]
            run(w + "schedule", s + 10, adamw,
                [config(lr=lr, betas=b, weight_decay=d, eps=e) for lr, b, d, e in (
                    (0.1, [0.9, 0.999], 0.0, 1e-8), (0.05, [0.9, 0.999], 0.1, 1e-8),
                    (0.025, [0.5, 0.9], 0.1, 1e-3), (0.3, [0.9, 0.99], 0.0, 1e-8),
                    (1e-4, [0.99, 0.9999], 0.05, 1e-8), (0.01, [0.9, 0.999], 0.0, 1e-8))]),
            run(w + "many steps", s + 11, adamw, same(n=30, lr=0.01, weight_decay=wd, amsgrad=True)),
        ]
    write("sgd/testdata/adam.json", "adam.py", cases)


if __name__ == "__main__":
    main()
