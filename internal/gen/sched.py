"""Writes sgd/testdata/sched.json from torch.optim.lr_scheduler's StepLR,
MultiStepLR, ExponentialLR, CosineAnnealingLR and LinearLR, stepped the
chainable way (scheduler.step() without an epoch).

Each case is a scheduler with its arguments on an optimizer of one
parameter, torch.optim.SGD, with initial learning rate lr, a short
decimal (pente's tests run it on an optimizer whose lr is a float64, as
torch's param_groups[0]['lr'] is, and on pente's SGD, which keeps its lr
in float32 and gives the scheduler the decimal it reads as). "lrs" holds get_last_lr()[0] after the constructor and
after each of the following scheduler.step() calls, as float64 (JSON
numbers that read back exactly); "alphas" holds the float32 learning rate
each optimizer.step() before them used, read from the parameter: θ = 0
and its gradient 1 before every step, so that θ = −alpha after it.

It also writes sgd/testdata/cos.json: Python's math.cos (the C library's
cos) of the arguments CosineAnnealingLR gives it and of random ones, and
cos correctly rounded (mpmath at 200 bits; glibc's cos is not always).

Run from this directory: python3 sched.py
"""

import math
import random
import warnings

import mpmath
import torch
from torch.optim import SGD
from torch.optim import lr_scheduler as S

from fixture import write

STEPS = 70
mpmath.mp.prec = 200


def case(kind, args, lr):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = SGD([p], lr=lr)
    make = {"StepLR": S.StepLR, "MultiStepLR": S.MultiStepLR, "ExponentialLR": S.ExponentialLR,
            "CosineAnnealingLR": S.CosineAnnealingLR, "LinearLR": S.LinearLR}[kind]
    sched = make(opt, **args)
    lrs, alphas = [sched.get_last_lr()[0]], []
    for _ in range(STEPS):
        with torch.no_grad():
            p.zero_()
        p.grad = torch.ones(1)
        opt.step()
        alphas.append(0.0 - p.item())
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    assert all(isinstance(v, float) for v in lrs)
    # Whether the C library's cos was correctly rounded at every argument
    # CosineAnnealingLR gave it (pente's cos is).
    cos_exact = True
    if kind == "CosineAnnealingLR":
        t = args["T_max"]
        xs = [math.pi / t] + [math.pi * e / t for e in range(STEPS + 1)]
        cos_exact = all(math.cos(x) == float(mpmath.cos(mpmath.mpf(x))) for x in xs)
    name = "%s %s lr=%r" % (kind, " ".join("%s=%r" % kv for kv in args.items()), lr)
    return {"name": name, "kind": kind, "args": args, "lr": opt.param_groups[0]["initial_lr"],
            "lrs": lrs, "alphas": alphas, "cos_exact": cos_exact}


SETS = [
    ("StepLR", dict(step_size=7, gamma=0.1), 0.1),
    ("StepLR", dict(step_size=3, gamma=0.5), 0.05),
    ("StepLR", dict(step_size=1, gamma=0.9), 1.0),
    ("StepLR", dict(step_size=10, gamma=0.7), 0.3),
    ("MultiStepLR", dict(milestones=[5, 15, 40], gamma=0.1), 0.1),
    ("MultiStepLR", dict(milestones=[0, 3, 3, 20, 20, 20], gamma=0.5), 0.03),
    ("MultiStepLR", dict(milestones=[30, 10], gamma=0.7), 0.01),
    ("MultiStepLR", dict(milestones=[2, 4, 6, 8, 10, 12, 14, 16], gamma=0.95), 0.7),
    ("ExponentialLR", dict(gamma=0.9), 0.1),
    ("ExponentialLR", dict(gamma=0.99), 0.003),
    ("ExponentialLR", dict(gamma=0.5), 1.0),
    ("ExponentialLR", dict(gamma=1.1), 1e-4),
    ("CosineAnnealingLR", dict(T_max=10, eta_min=0.0), 0.1),
    ("CosineAnnealingLR", dict(T_max=25, eta_min=0.001), 0.05),
    ("CosineAnnealingLR", dict(T_max=7, eta_min=0.01), 0.3),
    ("CosineAnnealingLR", dict(T_max=1, eta_min=0.0), 0.1),
    ("CosineAnnealingLR", dict(T_max=60, eta_min=1e-5), 0.02),
    # glibc's cos is not correctly rounded at π·13/26 and π·38/61.
    ("CosineAnnealingLR", dict(T_max=26, eta_min=0.0), 0.1),
    ("CosineAnnealingLR", dict(T_max=61, eta_min=0.001), 0.1),
    ("LinearLR", dict(start_factor=1 / 3, end_factor=1.0, total_iters=5), 0.1),
    ("LinearLR", dict(start_factor=1.0, end_factor=0.1, total_iters=30), 0.05),
    ("LinearLR", dict(start_factor=0.5, end_factor=0.25, total_iters=20), 0.3),
    ("LinearLR", dict(start_factor=0.25, end_factor=1.0, total_iters=0), 0.1),
    ("LinearLR", dict(start_factor=0.1, end_factor=0.9, total_iters=65), 0.007),
]


def main():
    warnings.simplefilter("ignore")
    cases = [case(kind, args, lr) for kind, args, lr in SETS]
    write("sgd/testdata/sched.json", "sched.py", cases)

    sched = [math.pi / t for t in range(1, 200)]
    sched += [math.pi * e / t for t in (7, 10, 25, 60, 100, 1000) for e in range(0, 3 * t)]
    rng = random.Random(5)
    other = [rng.uniform(-1000, 1000) for _ in range(2000)] + [rng.uniform(-1, 1) * 2.0 ** -rng.randint(0, 60)
                                                             for _ in range(300)]
    write("sgd/testdata/cos.json", "sched.py",
          [{"x": x, "cos": math.cos(x), "exact": float(mpmath.cos(mpmath.mpf(x)))}
           for x in sched + other])


if __name__ == "__main__":
    main()
