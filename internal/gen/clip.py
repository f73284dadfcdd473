"""Writes sgd/testdata/clip.json from torch.nn.utils.clip_grad_norm_ and
clip_grad_value_.

Each case is a list of gradients (random normal rounded to multiples of
2⁻⁹, so the JSON stays short and exact, of odd shapes, one of 16 899
elements, more than the 16 384 of a chunk of mat.Dot), the arguments, the
total norm clip_grad_norm_ returned (a float32) and the gradients after
clipping; of the big gradient only every SAMPLE-th element after clipping,
to keep the file small.

Run from this directory: python3 clip.py
"""

import math

import torch

from fixture import mat, num, write

SMALL = [(3, 5), (1, 7), (1, 1), (2, 9)]
BIG = SMALL + [(131, 129)]
SAMPLE = 97


def grads(shapes, scale):
    return [torch.round(torch.randn(*s) * 64) / 64 * scale for s in shapes]


def clipped(g):
    if g.numel() > 1000:
        return {"sample": SAMPLE, "data": [num(v) for v in g.reshape(-1)[::SAMPLE].tolist()]}
    return mat(g)


def norm_case(name, gs, max_norm, norm_type):
    params = [torch.nn.Parameter(torch.zeros_like(g)) for g in gs]
    for p, g in zip(params, gs):
        p.grad = g.clone()
    total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
    return {"name": name, "op": "norm", "max_norm": max_norm, "norm_type": num(norm_type),
            "grads": [mat(g) for g in gs], "total": [num(total)], "clipped": [clipped(p.grad) for p in params]}


def value_case(name, gs, clip):
    params = [torch.nn.Parameter(torch.zeros_like(g)) for g in gs]
    for p, g in zip(params, gs):
        p.grad = g.clone()
    torch.nn.utils.clip_grad_value_(params, clip)
    return {"name": name, "op": "value", "clip": clip, "grads": [mat(g) for g in gs],
            "clipped": [mat(p.grad) for p in params]}


def main():
    torch.manual_seed(21)
    cases = []
    for norm_type in [2.0, 1.0, math.inf, 3.0, 0.5, 1.5]:
        for max_norm in [0.5, 1e6]:  # clipped, and not (coef clamped to 1)
            gs = grads(SMALL, 0.125)
            cases.append(norm_case("small p=%g max_norm=%g" % (norm_type, max_norm), gs, max_norm, norm_type))
    for norm_type in [2.0, 1.0, math.inf, 3.0]:
        gs = grads(BIG, 1)
        cases.append(norm_case("big p=%g max_norm=%g" % (norm_type, 5), gs, 5.0, norm_type))
    gs = grads(SMALL, 1.0)
    gs[1][0, 3] = math.inf
    cases.append(norm_case("inf grad p=2", gs, 1.0, 2.0))
    cases.append(norm_case("inf grad p=inf", gs, 1.0, math.inf))
    gs = grads(SMALL, 1.0)
    gs[2][0, 0] = math.nan
    cases.append(norm_case("NaN grad p=2", gs, 1.0, 2.0))
    cases.append(norm_case("zero grads", [torch.zeros(*s) for s in SMALL], 1.0, 2.0))
    for clip in [0.5, 0.1, 2.0, -0.25]:
        gs = grads(SMALL, 1.0)
        gs[0][0, 0] = math.nan
        cases.append(value_case("value clip=%g" % clip, gs, clip))
    write("sgd/testdata/clip.json", "clip.py", cases)


if __name__ == "__main__":
    main()
