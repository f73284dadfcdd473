"""Time one training step of small ReLU MLPs in PyTorch, and the optimiser step alone.

The PyTorch side of the pente benchmark (bench/train.go): the same
networks, loss and optimisers, timed the same way (one warm-up step, then
the best of 3 batches of at least --time/3 seconds each). bench runs it as

    python3 - --time 0.2 --threads 1,2 --cases 16-8-4-2:1:sgd,784-256-128-10:128:adam
        --steps 784-256-128-10:sgd,784-256-128-10:adam

with this file on standard input (it is embedded in the Go binary), and
reads the JSON it prints on standard output:

    {"torch": "1.13.1", "python": "3.11.2",
     "results": [{"sizes": [16, 8, 4, 2], "batch": 1, "optim": "sgd", "threads": 1,
                  "ns_per_step": 123456.0, "loss": 0.69}, ...],
     "steps": [{"sizes": [784, 256, 128, 10], "optim": "adam", "threads": 1,
                "params": 235146, "ns_per_step": 98765.0}, ...]}

A case is SIZES:BATCH[:OPTIM], a step SIZES:OPTIM; OPTIM is sgd
(torch.optim.SGD(lr=0.01, momentum=0.9), the default) or adam
(torch.optim.Adam(lr=1e-3, foreach=None): its defaults, and the
single-tensor loop that foreach=None selects in torch 1.13). It can also
be run by hand: python3 bench/torch/step.py --threads 1
"""

import argparse
import ctypes
import json
import math
import os
import platform
import time

import torch
from torch import nn

BATCHES = 3
TRAIN_BATCHES = 16
RESET_EVERY = 256



def set_threads(threads):
    """torch.set_num_threads(threads), and the same for OpenBLAS.

    Debian's torch does its matrix products in OpenBLAS, whose own pool
    of threads torch.set_num_threads does not reach: with one torch thread
    a product still runs on every core. So the OpenBLAS that torch loaded
    is told too, if there is one; returns whether there was.
    """
    torch.set_num_threads(threads)
    try:
        lib = ctypes.CDLL("libopenblas.so.0", mode=os.RTLD_NOLOAD)
    except OSError:
        return False
    lib.openblas_set_num_threads(threads)
    return True

def build(sizes):
    """nn.Sequential of Linear layers with ReLU between them."""
    layers = []
    for i in range(1, len(sizes)):
        if i > 1:
            layers.append(nn.ReLU())
        layers.append(nn.Linear(sizes[i - 1], sizes[i]))
    return nn.Sequential(*layers)


def measure(f, min_time):
    """Best time per call of f in ns: as bench/timing.go's measure."""
    f()
    target = min_time / BATCHES
    calls, done, best = 1, 0, math.inf
    while done < BATCHES:
        start = time.perf_counter()
        for _ in range(calls):
            f()
        d = time.perf_counter() - start
        if d < target:
            nxt = 100 * calls
            if d > 0:
                nxt = min(nxt, int(1.2 * calls * target / d) + 1)
            calls = max(nxt, calls + 1)
            continue
        done += 1
        best = min(best, d / calls)
    return best * 1e9


def optimizer(name, params):
    """The optimiser of bench/train.go's newOptimizer."""
    if name == "sgd":
        return torch.optim.SGD(params, lr=0.01, momentum=0.9)
    if name == "adam":
        return torch.optim.Adam(params, lr=1e-3, foreach=None)
    raise SystemExit(f"step.py: unknown optimiser {name!r} (have sgd, adam)")


def time_case(sizes, batch, optim, min_time):
    """Time one training step of the MLP sizes on a batch of batch samples."""
    torch.manual_seed(0)
    model = build(sizes)
    opt = optimizer(optim, model.parameters())
    criterion = nn.CrossEntropyLoss()
    # As bench/train.go: 16 batches with random labels in turn, and every
    # 256 steps the initial parameters back and no optimiser state (no
    # momentum; Adam back at step 0 with zero moments), so that no step is
    # timed on a network that has died into subnormal numbers.
    xs = [torch.rand(batch, sizes[0]) * 2 - 1 for _ in range(TRAIN_BATCHES)]
    targets = [torch.randint(sizes[-1], (batch,)) for _ in range(TRAIN_BATCHES)]
    initial = [p.detach().clone() for p in model.parameters()]
    first = []
    count = [0]

    def step():
        i = count[0]
        if i % RESET_EVERY == 0:
            with torch.no_grad():
                for p, p0 in zip(model.parameters(), initial):
                    p.copy_(p0)
            opt.state.clear()
        opt.zero_grad()
        loss = criterion(model(xs[i % TRAIN_BATCHES]), targets[i % TRAIN_BATCHES])
        loss.backward()
        opt.step()
        count[0] = i + 1
        if not first:
            first.append(loss.item())

    ns = measure(step, min_time)
    if not math.isfinite(first[0]):
        raise SystemExit(f"step.py: {sizes} batch {batch}: loss {first[0]}")
    return ns, first[0]


def time_opt_step(sizes, optim, min_time):
    """Time optimizer.step() alone over the parameters of the MLP sizes.

    The gradients are uniform in [-1, 1] and stay as they are: as
    bench/train.go's runOptimStep, the step runs again and again from the
    state the previous one left, which keeps every number normal.
    """
    torch.manual_seed(0)
    model = build(sizes)
    params = list(model.parameters())
    for p in params:
        p.grad = torch.rand_like(p) * 2 - 1
    opt = optimizer(optim, params)
    ns = measure(opt.step, min_time)
    if not all(bool(torch.isfinite(p).all()) for p in params):
        raise SystemExit(f"step.py: {sizes} {optim} step: parameters not finite")
    return ns, sum(p.numel() for p in params)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time", type=float, default=0.2, help="seconds per measurement")
    ap.add_argument("--threads", default="1", help="comma-separated torch.set_num_threads values")
    ap.add_argument("--cases", default="16-8-4-2:1,64-32-10:32,784-256-128-10:128",
                    help="comma-separated SIZES:BATCH[:OPTIM], SIZES dash-separated, OPTIM sgd (default) or adam")
    ap.add_argument("--steps", default="",
                    help="comma-separated SIZES:OPTIM: time optimizer.step() alone over those parameters")
    args = ap.parse_args()

    results, steps = [], []
    for threads in (int(t) for t in args.threads.split(",")):
        set_threads(threads)
        for case in args.cases.split(","):
            sizes, batch, *optim = case.split(":")
            sizes, batch, optim = [int(s) for s in sizes.split("-")], int(batch), (optim or ["sgd"])[0]
            ns, loss = time_case(sizes, batch, optim, args.time)
            results.append({"sizes": sizes, "batch": batch, "optim": optim, "threads": threads,
                            "ns_per_step": ns, "loss": loss})
        for case in filter(None, args.steps.split(",")):
            sizes, optim = case.split(":")
            sizes = [int(s) for s in sizes.split("-")]
            ns, params = time_opt_step(sizes, optim, args.time)
            steps.append({"sizes": sizes, "optim": optim, "threads": threads,
                          "params": params, "ns_per_step": ns})
    print(json.dumps({"torch": torch.__version__, "python": platform.python_version(),
                      "results": results, "steps": steps}))


if __name__ == "__main__":
    main()
