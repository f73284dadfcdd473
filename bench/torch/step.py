"""Time one SGD training step of small ReLU MLPs in PyTorch.

The PyTorch side of the pente benchmark (bench/train.go): the same
networks, loss and optimiser, timed the same way (one warm-up step, then
the best of 3 batches of at least --time/3 seconds each). bench runs it as

    python3 - --time 0.2 --threads 1,2 --cases 16-8-4-2:1,784-256-128-10:128

with this file on standard input (it is embedded in the Go binary), and
reads the JSON it prints on standard output:

    {"torch": "1.13.1", "python": "3.11.2",
     "results": [{"sizes": [16, 8, 4, 2], "batch": 1, "threads": 1,
                  "ns_per_step": 123456.0, "loss": 0.69}, ...]}

It can also be run by hand: python3 bench/torch/step.py --threads 1
"""

import argparse
import json
import math
import platform
import time

import torch
from torch import nn

BATCHES = 3
TRAIN_BATCHES = 16
RESET_EVERY = 256


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


def time_case(sizes, batch, min_time):
    """Time one training step of the MLP sizes on a batch of batch samples."""
    torch.manual_seed(0)
    model = build(sizes)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    # As bench/train.go: 16 batches with random labels in turn, and every
    # 256 steps the initial parameters back and no momentum, so that no
    # step is timed on a network that has died into subnormal numbers.
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time", type=float, default=0.2, help="seconds per measurement")
    ap.add_argument("--threads", default="1", help="comma-separated torch.set_num_threads values")
    ap.add_argument("--cases", default="16-8-4-2:1,64-32-10:32,784-256-128-10:128",
                    help="comma-separated SIZES:BATCH, SIZES dash-separated")
    args = ap.parse_args()

    results = []
    for threads in (int(t) for t in args.threads.split(",")):
        torch.set_num_threads(threads)
        for case in args.cases.split(","):
            sizes, batch = case.split(":")
            sizes, batch = [int(s) for s in sizes.split("-")], int(batch)
            ns, loss = time_case(sizes, batch, args.time)
            results.append({"sizes": sizes, "batch": batch, "threads": threads,
                            "ns_per_step": ns, "loss": loss})
    print(json.dumps({"torch": torch.__version__, "python": platform.python_version(),
                      "results": results}))


if __name__ == "__main__":
    main()
