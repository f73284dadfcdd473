"""Writes loss/testdata/crossentropy.json and loss/testdata/mse.json from
PyTorch's nn.CrossEntropyLoss and nn.MSELoss.

Each case holds the inputs and options, the loss as the module returns it,
the unreduced losses (reduction="none"), and the gradient of the loss with
respect to the logits or predictions (for reduction="none", of its sum).
Inputs are multiples of 1/64, so the JSON stays short and exact.

Run from this directory: python3 loss.py
"""

import itertools

import torch
import torch.nn.functional as F

from fixture import mat, num, vec, write

IGNORE = -100


def dyadic(*shape, scale=1.0):
    """Normal random numbers rounded to multiples of 1/64."""
    return torch.round(torch.randn(*shape) * scale * 64) / 64


def class_weights(c):
    """Positive class weights in [0.25, 2], multiples of 1/8."""
    return torch.randint(2, 17, (c,)).float() / 8


def ce_case(name, logits, target, weight=None, ignore_index=IGNORE, reduction="mean", label_smoothing=0.0):
    """One cross-entropy case; target is a LongTensor of classes or a float
    N×C tensor of class probabilities."""
    x = logits.clone().requires_grad_(True)
    opts = dict(weight=weight, label_smoothing=label_smoothing)
    if target.dtype == torch.long:
        opts["ignore_index"] = ignore_index
    loss = F.cross_entropy(x, target, reduction=reduction, **opts)
    loss.sum().backward()
    with torch.no_grad():
        losses = F.cross_entropy(logits, target, reduction="none", **opts)
    case = {
        "name": name,
        "logits": mat(logits),
        "ignore_index": ignore_index,
        "reduction": reduction,
        "label_smoothing": label_smoothing,
        "loss": [num(loss.sum() if reduction == "none" else loss)],
        "losses": vec(losses),
        "grad": mat(x.grad),
    }
    if target.dtype == torch.long:
        case["target"] = target.tolist()
    else:
        case["probs"] = mat(target)
    if weight is not None:
        case["weight"] = vec(weight)
    return case


def crossentropy():
    torch.manual_seed(1)
    cases = []
    sizes = itertools.cycle([(1, 1), (2, 2), (5, 3), (13, 7), (5, 10), (2, 3), (13, 10), (1, 7), (5, 2)])

    # Every reduction × weight × ignore_index hits × label smoothing.
    for reduction, weighted, ignoring, eps in itertools.product(
        ["mean", "sum", "none"], [False, True], [False, True], [0.0, 0.1, 1.0]
    ):
        n, c = next(sizes)
        if ignoring and n == 1:
            n = 5
        logits = dyadic(n, c)
        target = torch.randint(0, c, (n,))
        if ignoring:
            target[torch.arange(n) % 2 == 1] = IGNORE  # rows 1, 3, 5, ...
        weight = class_weights(c) if weighted else None
        name = "%s %d×%d weight=%s ignore=%s eps=%g" % (reduction, n, c, weighted, ignoring, eps)
        cases.append(ce_case(name, logits, target, weight, reduction=reduction, label_smoothing=eps))

    # Logits of ±1e4: the row max must be subtracted before exp.
    big = torch.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4], [1e4, 1e4, 1e4], [-1e4, -1e4, -1e4]])
    big_target = torch.tensor([1, 0, 2, 0])
    for reduction in ["mean", "sum", "none"]:
        cases.append(ce_case("±1e4 " + reduction, big, big_target, reduction=reduction))
    cases.append(ce_case("±1e4 weight eps=0.1", big, big_target, class_weights(3), label_smoothing=0.1))

    # A large spread: probabilities down to e^-300.
    spread = dyadic(13, 10, scale=50)
    cases.append(ce_case("spread×50", spread, torch.randint(0, 10, (13,))))
    cases.append(ce_case("spread×50 eps=0.1 none", spread, torch.randint(0, 10, (13,)),
                         reduction="none", label_smoothing=0.1))

    # Every target ignored: mean is 0/0 = NaN, and the gradient is zero.
    logits = dyadic(5, 3)
    none_left = torch.full((5,), IGNORE)
    for reduction in ["mean", "sum", "none"]:
        cases.append(ce_case("all ignored " + reduction, logits, none_left, reduction=reduction))
    cases.append(ce_case("all ignored weight eps=0.1", logits, none_left, class_weights(3), label_smoothing=0.1))

    # Class weights whose selected sum is zero: mean is NaN, and so is the
    # gradient of every row that is not ignored.
    cases.append(ce_case("zero weight sum", dyadic(3, 3), torch.tensor([0, IGNORE, 0]),
                         torch.tensor([0.0, 1.0, 2.0]), label_smoothing=0.1))

    # ignore_index that is a valid class.
    target = torch.tensor([2, 0, 2, 1, 6, 2, 3])
    for reduction in ["mean", "sum", "none"]:
        cases.append(ce_case("ignore_index=2 " + reduction, dyadic(7, 7), target, class_weights(7),
                             ignore_index=2, reduction=reduction, label_smoothing=0.1))

    # Class-probability targets.
    for reduction, weighted, eps in itertools.product(["mean", "sum", "none"], [False, True], [0.0, 0.1, 1.0]):
        n, c = next(sizes)
        probs = torch.softmax(dyadic(n, c, scale=2), dim=1)
        weight = class_weights(c) if weighted else None
        name = "probs %s %d×%d weight=%s eps=%g" % (reduction, n, c, weighted, eps)
        cases.append(ce_case(name, dyadic(n, c), probs, weight, reduction=reduction, label_smoothing=eps))
    cases.append(ce_case("probs unnormalized", dyadic(5, 7), dyadic(5, 7), class_weights(7), label_smoothing=0.1))
    cases.append(ce_case("probs ±1e4", big, torch.softmax(dyadic(4, 3), dim=1), reduction="sum"))

    write("loss/testdata/crossentropy.json", "loss.py", cases)


def mse():
    torch.manual_seed(2)
    cases = []
    for reduction, (n, c) in itertools.product(["mean", "sum", "none"], [(1, 1), (13, 7), (3, 4), (2, 5)]):
        pred, target = dyadic(n, c), dyadic(n, c)
        x = pred.clone().requires_grad_(True)
        loss = F.mse_loss(x, target, reduction=reduction)
        loss.sum().backward()
        cases.append({
            "name": "%s %d×%d" % (reduction, n, c),
            "pred": mat(pred),
            "target": mat(target),
            "reduction": reduction,
            "loss": [num(loss.sum() if reduction == "none" else loss)],
            "losses": mat(F.mse_loss(pred, target, reduction="none")),
            "grad": mat(x.grad),
        })
    write("loss/testdata/mse.json", "loss.py", cases)


if __name__ == "__main__":
    crossentropy()
    mse()
