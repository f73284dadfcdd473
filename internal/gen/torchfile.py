"""Writes torchfile/testdata/: files torch.save wrote, and expected.json.

Each *.pt file here is written by torch.save itself; expected.json holds,
for every file that torchfile.Read must accept, the tensors of the
state_dict as torch loads them back (torch.load of the same file): name,
dtype (in safetensors' names), shape, the contiguous little-endian bytes
(tensor.contiguous().view(torch.uint8), in hex) and the values
(tensor.flatten().tolist()). The files Read must reject are listed with
what they are.

  mlp.pt        a model's state_dict (Linear, BatchNorm1d, ReLU, Linear)
                saved to a path: the top folder of the zip is "mlp"
  buffer.pt     the same state_dict saved to an io.BytesIO: top folder "archive"
  protocol4.pt  the same, with pickle_protocol=4 (STACK_GLOBAL, FRAME, MEMOIZE)
  params.pt     dict(model.named_parameters()): nn.Parameter, through
                torch._utils._rebuild_parameter
  dtypes.pt     one tensor of every dtype, with NaN, ±Inf, -0, subnormals,
                a 0-dim tensor and an empty one
  views.pt      tensors that are views of one storage: slices, a column, a
                transposed view, offsets, a step, an expanded (stride 0)
                view, the same tensor under two names, permuted views of
                rank 3 and 4
  module.pt     torch.save(model): a whole pickled nn.Module (rejected)
  legacy.pt     _use_new_zipfile_serialization=False (rejected)
  net.pt        torch.save of a module class of this script's (__main__.Net)
  script.pt     torch.jit.save of a scripted model (rejected)

torch.save's zip files carry no timestamps, so running this again on the
same torch gives the same files, except legacy.pt (its storage keys are
addresses) and script.pt.
"""

import io
import os
import zipfile

import torch
import torch.nn as nn

from fixture import ROOT, num, write

OUT = os.path.join(ROOT, "torchfile", "testdata")

DTYPES = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16",
    torch.bfloat16: "BF16", torch.int64: "I64", torch.int32: "I32",
    torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL",
}


def describe(name, t):
    t = t.detach()
    flat = t.reshape(-1).contiguous()
    if t.dtype == torch.bool:
        values = [bool(v) for v in flat.tolist()]
    elif t.dtype.is_floating_point:
        values = [num(v) for v in flat.tolist()]
    else:
        values = flat.tolist()
    return {
        "name": name,
        "dtype": DTYPES[t.dtype],
        "shape": list(t.shape),
        "hex": bytes(flat.view(torch.uint8).tolist()).hex(),
        "values": values,
    }


def save(name, obj, **kw):
    path = os.path.join(OUT, name)
    torch.save(obj, path, **kw)
    return path


def expect(name, path):
    """The tensors of the file as torch itself loads them."""
    sd = torch.load(path)
    return {"file": name, "tensors": [describe(k, v) for k, v in sd.items()]}


def model():
    torch.manual_seed(0)
    m = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Linear(3, 2))
    m.train()
    m(torch.randn(5, 4))  # BatchNorm's running statistics and num_batches_tracked move
    return m


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

    def forward(self, x):
        return self.fc(x)


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = []
    m = model()

    cases.append(expect("mlp.pt", save("mlp.pt", m.state_dict())))

    buf = io.BytesIO()
    torch.save(m.state_dict(), buf)
    with open(os.path.join(OUT, "buffer.pt"), "wb") as f:
        f.write(buf.getvalue())
    cases.append(expect("buffer.pt", os.path.join(OUT, "buffer.pt")))

    cases.append(expect("protocol4.pt", save("protocol4.pt", m.state_dict(), pickle_protocol=4)))
    cases.append(expect("params.pt", save("params.pt", dict(m.named_parameters()))))

    special = [0.0, -0.0, 1.0, -2.5, float("inf"), float("-inf"), float("nan"), 1e-40, 3.0e38, 65504.0, 6e-8]
    d = {}
    for dt in (torch.float64, torch.float32, torch.float16, torch.bfloat16):
        d[DTYPES[dt]] = torch.tensor(special, dtype=torch.float64).to(dt)
    d["I64"] = torch.tensor([0, 1, -1, 2**62, -(2**63), 2**63 - 1], dtype=torch.int64)
    d["I32"] = torch.tensor([[0, -1], [2**31 - 1, -(2**31)]], dtype=torch.int32)
    d["I16"] = torch.tensor([0, -1, 32767, -32768], dtype=torch.int16)
    d["I8"] = torch.tensor([0, -1, 127, -128], dtype=torch.int8)
    d["U8"] = torch.tensor([0, 1, 255], dtype=torch.uint8)
    d["BOOL"] = torch.tensor([[True, False, True], [False, False, True]])
    d["scalar"] = torch.tensor(7.25)
    d["empty"] = torch.zeros(0, 3)
    d["rank3"] = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4) / 7
    cases.append(expect("dtypes.pt", save("dtypes.pt", d)))

    base = (torch.arange(24, dtype=torch.float32) / 3).reshape(4, 6)
    flat = base.view(-1)
    views = {
        "whole": base,
        "row": base[1],
        "column": base[:, 2],
        "transposed": base.t(),
        "block": base[1:3, 2:5],
        "offset": flat[5:17],
        "step": base[:, ::2],
        "expanded": base[2:3].expand(3, 6),
        "tied": base,
        "transposed_block": base[1:4, 1:3].t(),
        "permuted": base.view(2, 3, 4).permute(1, 2, 0),
        "rank4": base.view(2, 3, 2, 2)[:, 1:].transpose(0, 3),
        "size1": base.view(2, 3, 4)[:, 1:2, ::3],
        "column_t": base[1:2].t(),
    }
    path = save("views.pt", views)
    storages = [n for n in zipfile.ZipFile(path).namelist() if "/data/" in n]
    assert len(storages) == 1, storages
    cases.append(expect("views.pt", path))

    save("module.pt", m)
    save("legacy.pt", m.state_dict(), _use_new_zipfile_serialization=False)
    torch.manual_seed(0)
    save("net.pt", Net())
    torch.jit.save(torch.jit.script(Net()), os.path.join(OUT, "script.pt"))

    write("torchfile/testdata/expected.json", "torchfile.py", cases)


main()
