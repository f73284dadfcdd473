"""Writes layer/testdata/{activation2,dropout,randperm}.json and
data/testdata/dataloader.json from PyTorch.

activation2.json: LeakyReLU, GELU (both forms), SiLU, Softmax(dim=1) and
LogSoftmax(dim=1) on inputs that mix ordinary values with large, tiny,
negative and signed-zero ones: the output y and dL/dx for a random dL/dy.
The batches are 7×37 (259 elements: ATen's vectorised loops take 16 at a
time and finish the last 3 with its scalar code) and 3×5.

dropout.json: nn.Dropout(p) in training mode after torch.manual_seed, on
random inputs: y, dL/dx for a random dL/dy, then a second Forward (the
generator moved on), then three torch.rand values, which show how many draws
the masks took.

randperm.json: torch.randperm(n, generator=g) for n = 1, 2, 10, 1000 and
100000 from several seeds, and from a generator continued after other
draws; permutations longer than 1000 as the SHA-256 of their int64
little-endian bytes with their first and last ten entries.

dataloader.json: the index order of DataLoader(ds, batch_size=b,
shuffle=True, generator=g, drop_last=...) over several epochs.
"""

import hashlib

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from fixture import mat, vec, write


def inputs(rows, cols):
    x = torch.randn(rows, cols) * 3
    flat = x.view(-1)
    special = [0.0, -0.0, 1e-30, -1e-30, 1e-7, -1e-7, 5.5, -5.5, 9.0, -9.0, 15.0, -15.0,
               20.0, -20.0, 40.0, -40.0, 88.0, -88.0, 100.0, -100.0, 1e4, -1e4, 0.5, -0.5]
    for i, v in enumerate(special[:flat.numel() // 2]):
        flat[(7 * i + 3) % flat.numel()] = v
    return x


def activation_cases():
    kinds = [
        ("leaky_relu", {"negative_slope": 0.01}, lambda: nn.LeakyReLU()),
        ("leaky_relu", {"negative_slope": 0.2}, lambda: nn.LeakyReLU(0.2)),
        ("leaky_relu", {"negative_slope": -0.5}, lambda: nn.LeakyReLU(-0.5)),
        ("gelu", {"approximate": "none"}, lambda: nn.GELU()),
        ("gelu", {"approximate": "tanh"}, lambda: nn.GELU(approximate="tanh")),
        ("silu", {}, lambda: nn.SiLU()),
        ("softmax", {}, lambda: nn.Softmax(dim=1)),
        ("log_softmax", {}, lambda: nn.LogSoftmax(dim=1)),
    ]
    cases = []
    torch.manual_seed(20)
    for kind, args, make in kinds:
        for rows, cols in [(7, 37), (3, 5)]:
            x = inputs(rows, cols).requires_grad_()
            y = make()(x)
            dy = torch.randn(rows, cols)
            y.backward(dy)
            cases.append({"kind": kind, "args": args, "x": mat(x), "y": mat(y), "dy": mat(dy), "dx": mat(x.grad)})
    return cases


def dropout_cases():
    cases = []
    torch.manual_seed(21)  # the inputs come from the generator as left by the previous case
    for p in [0.0, 0.1, 0.25, 0.3, 0.5, 0.9, 1.0]:
        for seed, (rows, cols) in [(0, (8, 13)), (123, (5, 1)), (2**40 + 9, (3, 70))]:
            x0 = torch.randn(rows, cols)
            torch.manual_seed(seed)
            drop = nn.Dropout(p)
            drop.train()
            x = x0.clone().requires_grad_()
            y = drop(x)
            dy = torch.randn(rows, cols, generator=torch.Generator().manual_seed(seed + 1))
            y.backward(dy)
            y2 = drop(x0)
            cases.append({"p": p, "seed": seed, "x": mat(x0), "y": mat(y), "dy": mat(dy), "dx": mat(x.grad),
                          "y2": mat(y2), "after": vec(torch.rand(3))})
    return cases


def perm_json(t):
    t = t.to(torch.int64)
    d = {"n": t.numel()}
    if t.numel() <= 1000:
        d["perm"] = t.tolist()
    else:
        d["sha256"] = hashlib.sha256(t.numpy().astype("<i8").tobytes()).hexdigest()
        d["head"] = t[:10].tolist()
        d["tail"] = t[-10:].tolist()
    return d


def randperm_cases():
    cases = []
    for seed in [0, 5, 2**33 + 1]:
        for n in [0, 1, 2, 10, 1000, 100000]:
            g = torch.Generator().manual_seed(seed)
            p = torch.randperm(n, generator=g)
            c = perm_json(p)
            c.update({"seed": seed, "before": 0, "after": vec(torch.rand(3, generator=g))})
            cases.append(c)
    # continued: uniform draws first, then several permutations in a row
    g = torch.Generator().manual_seed(77)
    before = 5
    torch.rand(before, generator=g)
    for n in [10, 1000, 2, 100000, 1]:
        c = perm_json(torch.randperm(n, generator=g))
        c.update({"seed": 77, "before": before, "after": vec(torch.rand(3, generator=g))})
        cases.append(c)
        before = -1  # continues from the previous case
    return cases


def dataloader_cases():
    cases = []
    for n, b, drop_last, seed, epochs in [(10, 3, False, 7, 3), (10, 3, True, 7, 3), (100, 16, False, 0, 2),
                                          (64, 64, False, 1, 2), (5, 8, False, 2, 3), (1000, 32, True, 3, 2)]:
        ds = TensorDataset(torch.arange(n))
        g = torch.Generator().manual_seed(seed)
        dl = DataLoader(ds, batch_size=b, shuffle=True, generator=g, drop_last=drop_last)
        order = [[[int(i) for i in batch[0]] for batch in dl] for _ in range(epochs)]
        cases.append({"n": n, "batch_size": b, "drop_last": drop_last, "seed": seed, "epochs": order,
                      "after": vec(torch.rand(3, generator=g))})
    return cases


write("layer/testdata/activation2.json", "layer2.py", activation_cases())
write("layer/testdata/dropout.json", "layer2.py", dropout_cases())
write("layer/testdata/randperm.json", "layer2.py", randperm_cases())
write("data/testdata/dataloader.json", "layer2.py", dataloader_cases())
