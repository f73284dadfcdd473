"""Writes sgd/testdata/sgd.json from PyTorch's torch.optim.SGD.

Every case optimises the same four parameters of odd shapes (3×5, 1×7, 1×1
and 2×9; the lengths 15, 7, 1 and 18 leave SIMD tails), drawn with randn
after torch.manual_seed. Each step sets a fresh random gradient on every
parameter (p.grad is assigned, not computed), may change the
hyperparameters through optimizer.param_groups[0] first, calls
optimizer.step() and records the parameters and the momentum buffers
(state[p]['momentum_buffer'], null when torch holds none).

Hyperparameters are written as the Python floats torch was given; torch
turns them into float32 scalars inside its kernels, as the Go side does
when it reads them.
"""

import torch

from fixture import mat, write

SHAPES = [(3, 5), (1, 7), (1, 1), (2, 9)]
NAMES = ["a", "b", "c", "d"]
STEPS = 4

BASE = {"lr": 0.1, "momentum": 0.0, "dampening": 0.0, "weight_decay": 0.0,
        "nesterov": False, "maximize": False}


def config(**kw):
    c = dict(BASE)
    c.update(kw)
    return c


def run(name, seed, configs):
    """configs: the configuration of each step; the first one builds the
    optimizer, later ones are written into param_groups[0]."""
    torch.manual_seed(seed)
    params = [torch.nn.Parameter(torch.randn(*s)) for s in SHAPES]
    first = configs[0]
    opt = torch.optim.SGD(params, lr=first["lr"], momentum=first["momentum"],
                          dampening=first["dampening"], weight_decay=first["weight_decay"],
                          nesterov=first["nesterov"], maximize=first["maximize"])
    case = {
        "name": name,
        "params": [{"name": n, "value": mat(p)} for n, p in zip(NAMES, params)],
        "steps": [],
    }
    for c in configs:
        group = opt.param_groups[0]
        for k, v in c.items():
            group[k] = v
        assert group["foreach"] is None  # so step() runs _single_tensor_sgd
        grads = [torch.randn(*s) for s in SHAPES]
        for p, g in zip(params, grads):
            p.grad = g.clone()
        opt.step()
        for p, g in zip(params, grads):
            assert torch.equal(p.grad, g), "step modified a gradient"
        bufs = [opt.state[p].get("momentum_buffer") for p in params]
        case["steps"].append({
            "config": c,
            "grads": [mat(g) for g in grads],
            "params": [mat(p) for p in params],
            "buffers": [None if b is None else mat(b) for b in bufs],
        })
    return case


def same(n=STEPS, **kw):
    return [config(**kw)] * n


def main():
    cases = [
        run("plain", 1, same(lr=0.1)),
        run("momentum", 2, same(lr=0.1, momentum=0.9)),
        run("momentum dampening", 3, same(lr=0.05, momentum=0.9, dampening=0.3)),
        run("nesterov", 4, same(lr=0.1, momentum=0.9, nesterov=True)),
        run("weight decay", 5, same(lr=0.1, weight_decay=0.25)),
        run("momentum weight decay", 6, same(lr=0.1, momentum=0.8, weight_decay=0.1)),
        run("maximize", 7, same(lr=0.1, maximize=True)),
        run("maximize wd nesterov", 8,
            same(lr=0.05, momentum=0.8, weight_decay=0.02, nesterov=True, maximize=True)),
        run("maximize wd dampening", 9,
            same(lr=0.05, momentum=0.7, dampening=0.5, weight_decay=0.02, maximize=True)),
        # the parameters stay put; the buffers still move
        run("lr 0", 10, same(lr=0.0, momentum=0.9, weight_decay=0.1)),
        run("lr schedule", 11, [config(lr=lr, momentum=0.9) for lr in (0.1, 0.05, 0.025, 0.3)]),
        # a buffer is created (a copy of g) at the first step with momentum,
        # kept untouched while momentum is 0, then updated again
        run("momentum on and off", 12,
            [config(lr=0.1), config(lr=0.1, momentum=0.9), config(lr=0.1),
             config(lr=0.05, momentum=0.5, dampening=0.25)]),
    ]
    write("sgd/testdata/sgd.json", "sgd.py", cases)


if __name__ == "__main__":
    main()
