"""The MNIST run of examples/mnist, in PyTorch.

A 784-256-128-10 ReLU MLP from torch.manual_seed(seed), trained by
optim.SGD(lr=0.05, momentum=0.9) with nn.CrossEntropyLoss on batches of 128
of the first 8,000 images of examples/mnist/mnist10k, shuffled by
DataLoader(..., shuffle=True, generator=g) with g seeded alike, for 10
epochs; then the accuracy on the last 2,000. The pixels are x/255 in
float32, as torchvision's ToTensor gives them.

Run by go generate (no arguments), it writes
examples/mnist/testdata/pytorch.json: the per-epoch mean batch loss, the
final accuracy and the time of the full run on one thread, and a short run
(one epoch on the first 2,000 images, every batch's loss) that
examples/mnist's test repeats in pente.

bench runs it as

    python3 internal/gen/mnist.py --bench --threads 1,2 --repeat 3

and reads the JSON it prints: the best time of --repeat full runs on each
thread count, with their accuracies.
"""

import argparse
import ctypes
import gzip
import json
import os
import platform
import struct
import sys
import time

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "examples", "mnist", "mnist10k")

SEED = 0
LR = 0.05
MOMENTUM = 0.9
BATCH = 128
TRAIN = 8000
TEST = 2000
EPOCHS = 10
SHORT_TRAIN = 2000
SHORT_EPOCHS = 1



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

def read_idx(path):
    """An IDX file of unsigned bytes as a uint8 tensor of its dimensions."""
    with gzip.open(path) as f:
        b = f.read()
    zero, typ, nd = struct.unpack(">HBB", b[:4])
    assert zero == 0 and typ == 8, path
    dims = struct.unpack(">" + "I" * nd, b[4:4 + 4 * nd])
    t = torch.frombuffer(bytearray(b[4 + 4 * nd:]), dtype=torch.uint8)
    return t.reshape(dims)


def load(data):
    images = read_idx(os.path.join(data, "mnist10k-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data, "mnist10k-labels-idx1-ubyte.gz"))
    x = images.reshape(len(images), -1).float().div(255)  # ToTensor
    return x, labels.long()


def run(x, y, n_train, epochs, seed=SEED):
    """Train as examples/mnist does; return the per-epoch mean batch loss,
    every batch's loss, the test accuracy (%) and the training time."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                          nn.Linear(128, 10))
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    criterion = nn.CrossEntropyLoss()
    g = torch.Generator()
    g.manual_seed(seed)
    loader = DataLoader(TensorDataset(x[:n_train], y[:n_train]), batch_size=BATCH,
                        shuffle=True, generator=g)
    losses, batch_losses = [], []
    start = time.perf_counter()
    for _ in range(epochs):
        total, steps = 0.0, 0
        for xb, yb in loader:
            opt.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            opt.step()
            item = loss.item()
            batch_losses.append(item)
            total += item
            steps += 1
        losses.append(total / steps)
    seconds = time.perf_counter() - start
    with torch.no_grad():
        pred = model(x[-TEST:]).argmax(1)
    accuracy = 100 * (pred == y[-TEST:]).sum().item() / TEST
    return losses, batch_losses, accuracy, seconds


def cpu_name():
    """The CPU's model name, from /proc/cpuinfo where there is one."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", action="store_true", help="time full runs and print JSON")
    ap.add_argument("--threads", default="1", help="comma-separated torch.set_num_threads values (--bench)")
    ap.add_argument("--repeat", type=int, default=3, help="full runs per thread count, the best kept (--bench)")
    ap.add_argument("--data", default=DATA, help="the directory of the mnist10k files")
    args = ap.parse_args()
    x, y = load(args.data)

    if args.bench:
        results = []
        for threads in (int(t) for t in args.threads.split(",")):
            set_threads(threads)
            best = None
            for _ in range(args.repeat):
                losses, _, acc, sec = run(x, y, TRAIN, EPOCHS)
                if best is None or sec < best["seconds"]:
                    best = {"threads": threads, "seconds": sec, "accuracy": acc, "losses": losses}
            results.append(best)
        print(json.dumps({"torch": torch.__version__, "python": platform.python_version(),
                          "results": results}))
        return

    set_threads(1)
    losses, _, acc, sec = run(x, y, TRAIN, EPOCHS)
    s_losses, s_batches, s_acc, _ = run(x, y, SHORT_TRAIN, SHORT_EPOCHS)
    record = {
        "torch": torch.__version__,
        "note": "written by internal/gen/mnist.py; seconds: one thread of " + cpu_name()
                + ", shared with other processes",
        "seed": SEED, "lr": LR, "momentum": MOMENTUM, "batch": BATCH, "test": TEST,
        "full": {"train": TRAIN, "epochs": EPOCHS, "losses": losses, "accuracy": acc,
                 "seconds": round(sec, 3), "threads": 1},
        "short": {"train": SHORT_TRAIN, "epochs": SHORT_EPOCHS, "losses": s_losses,
                  "batch_losses": s_batches, "accuracy": s_acc},
    }
    out = os.path.join(ROOT, "examples", "mnist", "testdata", "pytorch.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
    print(f"{out}: 10 epochs in {sec:.2f} s, accuracy {acc:.2f}%, losses {losses}", file=sys.stderr)


if __name__ == "__main__":
    main()
