"""Writes loss/testdata/{nll,bce,bcewithlogits,l1,smoothl1,huber}.json from
PyTorch's nn.NLLLoss, nn.BCELoss, nn.BCEWithLogitsLoss, nn.L1Loss,
nn.SmoothL1Loss and nn.HuberLoss.

Each case holds the inputs and options, the loss as the module returns it,
the unreduced losses (reduction="none"), and the gradient of the loss with
respect to the input (for reduction="none", of its sum). Inputs are
multiples of 1/64 where they can be, so the JSON stays short and exact.

Run from this directory: python3 loss2.py
"""

import itertools

import torch
import torch.nn.functional as F

from fixture import mat, num, vec, write
from loss import IGNORE, class_weights, dyadic

REDUCTIONS = ["mean", "sum", "none"]


def run(f, x, *args, **opts):
    """The loss f(x, *args, **opts), its unreduced form and the gradient."""
    xg = x.clone().requires_grad_(True)
    loss = f(xg, *args, **opts)
    loss.sum().backward()
    with torch.no_grad():
        losses = f(x, *args, **dict(opts, reduction="none"))
    return loss, losses, xg.grad


def nll():
    torch.manual_seed(11)
    cases = []
    sizes = itertools.cycle([(1, 1), (5, 3), (13, 7), (2, 2), (5, 10), (7, 4)])

    def case(name, x, target, weight=None, ignore_index=IGNORE, reduction="mean"):
        loss, losses, grad = run(F.nll_loss, x, target, weight=weight, ignore_index=ignore_index,
                                 reduction=reduction)
        c = {"name": name, "input": mat(x), "target": target.tolist(), "ignore_index": ignore_index,
             "reduction": reduction, "loss": [num(loss.sum() if reduction == "none" else loss)],
             "losses": vec(losses), "grad": mat(grad)}
        if weight is not None:
            c["weight"] = vec(weight)
        return c

    for reduction, weighted, ignoring in itertools.product(REDUCTIONS, [False, True], [False, True]):
        n, c = next(sizes)
        if ignoring and n == 1:
            n = 5
        x = torch.log_softmax(dyadic(n, c, scale=2), dim=1) if n % 2 else dyadic(n, c)
        target = torch.randint(0, c, (n,))
        if ignoring:
            target[torch.arange(n) % 2 == 1] = IGNORE
        weight = class_weights(c) if weighted else None
        cases.append(case("%s %d×%d weight=%s ignore=%s" % (reduction, n, c, weighted, ignoring),
                          x, target, weight, reduction=reduction))
    none_left = torch.full((4,), IGNORE)
    for reduction in REDUCTIONS:
        cases.append(case("all ignored " + reduction, dyadic(4, 3), none_left, reduction=reduction))
    cases.append(case("all ignored weight", dyadic(4, 3), none_left, class_weights(3)))
    cases.append(case("zero weight sum", dyadic(3, 3), torch.tensor([0, IGNORE, 0]), torch.tensor([0.0, 1.0, 2.0])))
    cases.append(case("zero weight sum sum", dyadic(3, 3), torch.tensor([0, IGNORE, 0]), torch.tensor([0.0, 1.0, 2.0]),
                      reduction="sum"))
    target = torch.tensor([2, 0, 2, 1, 6, 2, 3])
    for reduction in REDUCTIONS:
        cases.append(case("ignore_index=2 " + reduction, dyadic(7, 7), target, class_weights(7), ignore_index=2,
                          reduction=reduction))
    write("loss/testdata/nll.json", "loss2.py", cases)


def pairwise(path, f, inputs, options):
    """Cases of an elementwise loss f(x, y, **opts) for every reduction,
    every (name, x, y) of inputs and every (label, opts) of options."""
    cases = []
    for (name, x, y), (label, opts), reduction in itertools.product(inputs, options, REDUCTIONS):
        loss, losses, grad = run(f, x, y, reduction=reduction, **opts)
        c = {"name": " ".join(s for s in (name, label, reduction) if s), "input": mat(x), "target": mat(y),
             "reduction": reduction, "loss": [num(loss.sum() if reduction == "none" else loss)],
             "losses": mat(losses), "grad": mat(grad)}
        for k, v in opts.items():
            c[k] = vec(v) if isinstance(v, torch.Tensor) else v
        cases.append(c)
    write(path, "loss2.py", cases)


def bce():
    torch.manual_seed(12)
    inputs = []
    for n, c in [(1, 1), (5, 3), (13, 7), (4, 10)]:
        p = torch.sigmoid(dyadic(n, c, scale=3))
        t = (torch.rand(n, c) < 0.5).float()
        inputs.append(("%d×%d" % (n, c), p, t))
    # Soft targets, and probabilities of exactly 0 and 1 (the logs clamp at
    # −100 and the gradient's denominator at 1e-12), and near them.
    inputs.append(("soft", torch.sigmoid(dyadic(5, 4, scale=2)), torch.round(torch.rand(5, 4) * 8) / 8))
    edge = torch.tensor([[0.0, 1.0, 0.0, 1.0], [1e-30, 1 - 2 ** -24, 1e-7, 0.5], [2 ** -60, 0.999, 1e-3, 0.25]])
    inputs.append(("edges", edge, torch.tensor([[0.0, 1.0, 1.0, 0.0], [1.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.5, 0.0]])))
    cases = [(name, p, t, [("", {}), ("weight", {"weight": class_weights(p.shape[1])})]) for name, p, t in inputs]
    out = []
    for name, p, t, opts in cases:
        for (label, o), reduction in itertools.product(opts, REDUCTIONS):
            loss, losses, grad = run(F.binary_cross_entropy, p, t, reduction=reduction, **o)
            c = {"name": " ".join(s for s in (name, label, reduction) if s), "input": mat(p), "target": mat(t),
                 "reduction": reduction, "loss": [num(loss.sum() if reduction == "none" else loss)],
                 "losses": mat(losses), "grad": mat(grad)}
            if "weight" in o:
                c["weight"] = vec(o["weight"])
            out.append(c)
    write("loss/testdata/bce.json", "loss2.py", out)


def bce_with_logits():
    torch.manual_seed(13)
    inputs = []
    for n, c in [(1, 1), (5, 3), (13, 7), (4, 10)]:
        inputs.append(("%d×%d" % (n, c), dyadic(n, c, scale=3), (torch.rand(n, c) < 0.5).float()))
    inputs.append(("soft", dyadic(5, 4, scale=2), torch.round(torch.rand(5, 4) * 8) / 8))
    big = torch.tensor([[1e4, -1e4, 0.0, 1e4], [-1e4, 1e4, 40.0, -40.0], [100.0, -100.0, 1e4, -1e4]])
    inputs.append(("±1e4", big, torch.tensor([[0.0, 1.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0], [0.5, 0.5, 0.25, 0.75]])))
    out = []
    for name, x, t in inputs:
        cols = x.shape[1]
        opts = [("", {}), ("weight", {"weight": class_weights(cols)}),
                ("pos_weight", {"pos_weight": class_weights(cols) * 2}),
                ("weight pos_weight", {"weight": class_weights(cols), "pos_weight": class_weights(cols) * 2})]
        for (label, o), reduction in itertools.product(opts, REDUCTIONS):
            loss, losses, grad = run(F.binary_cross_entropy_with_logits, x, t, reduction=reduction, **o)
            c = {"name": " ".join(s for s in (name, label, reduction) if s), "input": mat(x), "target": mat(t),
                 "reduction": reduction, "loss": [num(loss.sum() if reduction == "none" else loss)],
                 "losses": mat(losses), "grad": mat(grad)}
            for k, v in o.items():
                c[k] = vec(v)
            out.append(c)
    write("loss/testdata/bcewithlogits.json", "loss2.py", out)


def regression_inputs(seed):
    torch.manual_seed(seed)
    inputs = [("%d×%d" % (n, c), dyadic(n, c, scale=2), dyadic(n, c, scale=2))
              for n, c in [(1, 1), (13, 7), (3, 4), (2, 5)]]
    # Differences of exactly 0, ±0.5, ±1 and ±2: the branch points of beta
    # and delta 0.5, 1 and 2, and sgn(0).
    x = torch.tensor([[0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 0.25]])
    inputs.append(("ties", x + 0.75, torch.full_like(x, 0.75)))
    return inputs


def f32(v):
    """v rounded to float32, as a Python float: pente's beta and delta are
    float32, torch's doubles, and its kernels use them as doubles."""
    return torch.tensor(v, dtype=torch.float32).item()


def regression():
    pairwise("loss/testdata/l1.json", F.l1_loss, regression_inputs(14), [("", {})])
    pairwise("loss/testdata/smoothl1.json", F.smooth_l1_loss, regression_inputs(15),
             [("beta=%g" % b, {"beta": b}) for b in [1.0, 0.5, 2.0, 0.0, f32(0.3)]])
    pairwise("loss/testdata/huber.json", F.huber_loss, regression_inputs(16),
             [("delta=%g" % d, {"delta": d}) for d in [1.0, 0.5, 2.0, f32(0.3)]])


if __name__ == "__main__":
    nll()
    bce()
    bce_with_logits()
    regression()
