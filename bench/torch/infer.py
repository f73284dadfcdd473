"""Time inference (a forward pass under torch.inference_mode()) of ReLU MLPs.

The PyTorch side of bench -ops infer (bench/infer.go): the networks of
layer.BenchmarkPredict, timed as bench/timing.go times pente (one warm-up
call, then the best of 3 batches of at least --time/3 seconds each). bench
runs it as

    python3 - --time 0.2 --threads 1,2 --cases 784-256-128-10:1,784-256-128-10:32

with this file on standard input, and reads the JSON it prints:

    {"torch": "1.13.1", "python": "3.11.2",
     "results": [{"sizes": [784, 256, 128, 10], "batch": 1, "threads": 1,
                  "openblas_threads": true, "ns_per_call": 12345.0}, ...]}

It can also be run by hand: python3 bench/torch/infer.py --threads 1
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


def build(sizes):
    """nn.Sequential of Linear layers with ReLU between them."""
    layers = []
    for i in range(1, len(sizes)):
        if i > 1:
            layers.append(nn.ReLU())
        layers.append(nn.Linear(sizes[i - 1], sizes[i]))
    return nn.Sequential(*layers)


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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time", type=float, default=0.2, help="seconds per measurement")
    ap.add_argument("--threads", default="1", help="comma-separated torch.set_num_threads values")
    ap.add_argument("--cases", default="784-256-128-10:1,784-256-128-10:32,784-256-128-10:256",
                    help="comma-separated SIZES:BATCH, SIZES dash-separated")
    args = ap.parse_args()

    results = []
    for threads in (int(t) for t in args.threads.split(",")):
        openblas = set_threads(threads)
        for case in args.cases.split(","):
            sizes, batch = case.split(":")
            sizes, batch = [int(s) for s in sizes.split("-")], int(batch)
            torch.manual_seed(0)
            model = build(sizes)
            x = torch.rand(batch, sizes[0]) * 2 - 1

            def predict():
                with torch.inference_mode():
                    model(x)

            results.append({"sizes": sizes, "batch": batch, "threads": threads,
                            "openblas_threads": openblas, "ns_per_call": measure(predict, args.time)})
    print(json.dumps({"torch": torch.__version__, "python": platform.python_version(),
                      "results": results}))


if __name__ == "__main__":
    main()
