"""Writes the model-file fixtures from PyTorch.

layer/testdata/models.json and the files it names: two small MLPs trained
a few SGD steps in torch, each saved
  - as safetensors (by safetensors_io, a writer of the format) with F32,
    F16, BF16 and F64 tensors (the F64 models are trained in float64), and
  - by torch.save(model.state_dict(), path) with the same four dtypes,
plus two more .pt files of the first model: mlp_a_views.pt, whose tensors
are views of one storage (offsets into it, a transposed weight), and
mlp_a_buffer.pt, saved to a buffer (its top folder is "archive"). Each case
holds an input and the output torch computes for it with the weights as
the file holds them rounded to float32 (what a float32 model loads).

safetensors/testdata/dtypes.safetensors and dtypes.json: one tensor of
each dtype (special values, a scalar, an empty tensor), metadata, and each
tensor's values as torch converts them with .float() (or .tolist() for
integers and bool), plus the SHA-256 of all 65536 F16 and BF16 bit patterns
converted to float32 by torch.

examples/classify/testdata/torch_digits.safetensors and torch_digits.json:
an MLP 64-32-10 trained in torch on the training part of the embedded
digits (examples/digits/digits.csv.gz, every fifth image held out, as
examples/digits splits it), and torch's prediction for every held-out
image with the margin between its two best scores.

The reverse direction: if layer/testdata/pente.safetensors exists (written
by `go run ./internal/gen/pentesave`), it is loaded here with
safetensors_io.read into the torch model pente.json describes, and torch's
outputs are checked against pente's and printed.
"""

import hashlib
import io
import json
import os

import torch
import torch.nn as nn

import safetensors_io
from fixture import ROOT, mat, num, vec, write

TESTDATA = os.path.join(ROOT, "layer", "testdata")
DTYPES = [("f32", torch.float32), ("f16", torch.float16), ("bf16", torch.bfloat16), ("f64", torch.float64)]


def build(spec):
    mods = []
    for l in spec:
        if l["kind"] == "linear":
            mods.append(nn.Linear(l["in"], l["out"]))
        else:
            mods.append({"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}[l["kind"]]())
    return nn.Sequential(*mods)


def train(model, dtype, seed):
    """A few steps of SGD with momentum on random data, in dtype."""
    g = torch.Generator().manual_seed(seed)
    model.to(dtype)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    first = model[0].in_features
    last = [m for m in model if isinstance(m, nn.Linear)][-1].out_features
    for _ in range(5):
        x = torch.rand(8, first, generator=g, dtype=dtype)
        y = torch.randint(0, last, (8,), generator=g)
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    return model


SPECS = {
    "mlp_a": [{"kind": "linear", "in": 4, "out": 8}, {"kind": "relu"}, {"kind": "linear", "in": 8, "out": 3}],
    "mlp_b": [{"kind": "linear", "in": 6, "out": 5}, {"kind": "tanh"}, {"kind": "linear", "in": 5, "out": 4},
              {"kind": "sigmoid"}, {"kind": "linear", "in": 4, "out": 2}],
}


def expected(spec, state, x):
    """torch's float32 output for x with the weights of state as float32."""
    m = build(spec)
    m.load_state_dict({k: v.float() for k, v in state.items()})
    with torch.no_grad():
        return m(x)


def models():
    cases = []
    for seed, (name, spec) in enumerate(SPECS.items()):
        for tag, dtype in DTYPES:
            torch.manual_seed(seed)
            model = train(build(spec), torch.float64 if dtype == torch.float64 else torch.float32, seed)
            state = {k: v.detach().to(dtype) for k, v in model.state_dict().items()}
            x = torch.rand(5, spec[0]["in"], generator=torch.Generator().manual_seed(100 + seed))
            y = expected(spec, state, x)
            for ext in ("safetensors", "pt"):
                fname = "%s_%s.%s" % (name, tag, ext)
                path = os.path.join(TESTDATA, fname)
                if ext == "pt":
                    torch.save(state, path)
                else:
                    safetensors_io.write(path, state, {"format": "pt", "generator": "internal/gen/models.py"})
                cases.append({"file": fname, "dtype": tag, "layers": spec, "input": mat(x), "output": mat(y)})
            if name == "mlp_a" and tag == "f32":
                cases += special_pt(spec, state, x, y)
    return cases


def special_pt(spec, state, x, y):
    """mlp_a's state_dict as views of one storage, and saved to a buffer."""
    # One storage: 3 unused elements, every tensor but 2.weight flat, 2.weight
    # transposed ([in, out], so that the view is [out, in] with strides
    # (1, out)), 7 unused elements.
    w = state["2.weight"]
    total = sum(v.numel() for k, v in state.items() if k != "2.weight")
    flat = torch.zeros(3 + total + w.numel() + 7)
    views, off = {}, 3
    for k, v in state.items():
        n = v.numel()
        if k == "2.weight":
            continue
        flat[off:off + n] = v.reshape(-1)
        views[k] = flat[off:off + n].view(v.shape)
        off += n
    flat[off:off + w.numel()] = w.t().contiguous().reshape(-1)
    views["2.weight"] = flat[off:off + w.numel()].view(w.shape[1], w.shape[0]).t()
    views = {k: views[k] for k in state}  # the state_dict's order
    assert not views["2.weight"].is_contiguous()
    for k in state:
        assert torch.equal(views[k], state[k]), k
        assert views[k].storage().data_ptr() == flat.storage().data_ptr()
    torch.save(views, os.path.join(TESTDATA, "mlp_a_views.pt"))
    buf = io.BytesIO()
    torch.save(state, buf)
    with open(os.path.join(TESTDATA, "mlp_a_buffer.pt"), "wb") as f:
        f.write(buf.getvalue())
    return [{"file": f, "dtype": "f32", "layers": spec, "input": mat(x), "output": mat(y)}
            for f in ("mlp_a_views.pt", "mlp_a_buffer.pt")]


def digest(t):
    return hashlib.sha256(t.contiguous().numpy().astype("<f4").tobytes()).hexdigest()


def dtypes():
    """safetensors/testdata/dtypes.safetensors and dtypes.json."""
    g = torch.Generator().manual_seed(7)
    special = torch.tensor([0.0, -0.0, 1.0, -2.5, float("inf"), float("-inf"), float("nan"), 65504.0, 65520.0,
                            6.1e-5, 6e-8, 3e-8, 1e-40, 3.4e38, 1.0 + 2.0 ** -11, 1.0 + 3 * 2.0 ** -11],
                           dtype=torch.float64)
    tensors = {
        "f64": torch.cat([special, torch.rand(8, generator=g, dtype=torch.float64)]).reshape(3, 8),
        "f32": torch.cat([special.float(), torch.randn(8, generator=g)]).reshape(2, 3, 4),
        "f16": torch.cat([special.half(), torch.randn(4, generator=g).half()]).reshape(4, 5),
        "bf16": torch.cat([special.bfloat16(), torch.randn(4, generator=g).bfloat16()]).reshape(20),
        "i64": torch.tensor([[-2 ** 63, 2 ** 63 - 1], [0, -1]], dtype=torch.int64),
        "i32": torch.tensor([-2 ** 31, 2 ** 31 - 1, 5], dtype=torch.int32),
        "i16": torch.tensor([-32768, 32767], dtype=torch.int16),
        "i8": torch.tensor([-128, 127, 0], dtype=torch.int8),
        "u8": torch.tensor([0, 255, 17], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
        "scalar": torch.tensor(3.25),
        "empty": torch.zeros(0, 3),
        "Unicode \u00e9\u6f22 \"quoted\"": torch.tensor([1.0, 2.0]),
    }
    path = os.path.join(ROOT, "safetensors", "testdata", "dtypes.safetensors")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    meta = {"format": "pt", "note": "written by internal/gen/models.py", "unicode": "\u00e9\u6f22"}
    safetensors_io.write(path, tensors, meta)
    out = []
    for k, t in tensors.items():
        d = {"name": k, "dtype": safetensors_io.DTYPES[t.dtype], "shape": list(t.shape)}
        if t.dtype.is_floating_point:
            d["float32"] = vec(t.float())
        else:
            d["ints"] = [int(v) for v in t.reshape(-1).tolist()]
        out.append(d)
    bits = torch.arange(65536, dtype=torch.int32).to(torch.int16)
    hashes = {"f16": digest(bits.view(torch.float16).float()), "bf16": digest(bits.view(torch.bfloat16).float())}
    doc = {"generated": "by internal/gen/models.py with torch %s; DO NOT EDIT" % torch.__version__,
           "metadata": meta, "tensors": out, "all_bits_sha256": hashes}
    with open(os.path.join(ROOT, "safetensors", "testdata", "dtypes.json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("wrote safetensors/testdata/dtypes.safetensors and dtypes.json")


def digits():
    """An MLP trained in torch on the digits, for examples/classify."""
    import csv
    import gzip
    with gzip.open(os.path.join(ROOT, "examples", "digits", "digits.csv.gz"), "rt") as f:
        rows = [[int(v) for v in r] for r in csv.reader(f)]
    x = torch.tensor([r[:64] for r in rows], dtype=torch.float32) / 16
    y = torch.tensor([r[64] for r in rows])
    test = torch.arange(len(rows)) % 5 == 4
    xtr, ytr, xte, yte = x[~test], y[~test], x[test], y[test]
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    g = torch.Generator().manual_seed(0)
    for _ in range(30):
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(perm), 32):
            idx = perm[i:i + 32]
            opt.zero_grad()
            nn.functional.cross_entropy(model(xtr[idx]), ytr[idx]).backward()
            opt.step()
    with torch.no_grad():
        scores = model(xte)
    top = scores.topk(2, dim=1).values
    pred = scores.argmax(1)
    acc = (pred == yte).float().mean().item()
    out = os.path.join(ROOT, "examples", "classify", "testdata")
    os.makedirs(out, exist_ok=True)
    safetensors_io.write(os.path.join(out, "torch_digits.safetensors"), model.state_dict(),
                         {"trained": "by internal/gen/models.py in torch %s" % torch.__version__})
    doc = {"generated": "by internal/gen/models.py with torch %s; DO NOT EDIT" % torch.__version__,
           "accuracy": acc, "predictions": pred.tolist(), "margins": vec(top[:, 0] - top[:, 1])}
    with open(os.path.join(out, "torch_digits.json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("wrote examples/classify/testdata/torch_digits.safetensors: test accuracy %.1f%%" % (100 * acc))


def reverse():
    """Loads pente's file in torch and checks that it predicts pente's outputs."""
    path = os.path.join(TESTDATA, "pente.safetensors")
    if not os.path.exists(path):
        print("no layer/testdata/pente.safetensors: run go run ./internal/gen/pentesave first")
        return
    with open(os.path.join(TESTDATA, "pente.json")) as f:
        doc = json.load(f)
    state, meta = safetensors_io.read(path)
    model = build(doc["layers"])
    model.load_state_dict(state)  # strict: names and shapes must be torch's
    x = torch.tensor(doc["input"]["data"], dtype=torch.float32).reshape(doc["input"]["rows"], doc["input"]["cols"])
    want = torch.tensor(doc["output"]["data"], dtype=torch.float32).reshape(doc["output"]["rows"], doc["output"]["cols"])
    with torch.no_grad():
        got = model(x)
    err = ((got - want).abs().max() / want.abs().max()).item()
    print("pente.safetensors in torch: keys %s, metadata %s" % (list(state), meta))
    print("torch's output vs pente's: max relative difference %.3g" % err)
    assert err <= 1e-5, err


if __name__ == "__main__":
    os.makedirs(TESTDATA, exist_ok=True)
    write("layer/testdata/models.json", "models.py", models())
    dtypes()
    digits()
    reverse()
