"""Shared helpers for the PyTorch fixture generators in this directory.

Every fixture is a JSON object. Matrices are {"rows": r, "cols": c, "data":
[...]} in row-major order; vectors are plain lists. float32 values are
written as the shortest decimal that reads back to the same float64, so Go
recovers every float32 exactly; NaN and ±Inf, which JSON lacks, are the
strings "NaN", "Inf" and "-Inf". internal/fixture reads them back.
"""

import json
import math
import os

import torch

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def num(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Inf" if v > 0 else "-Inf"
    return v


def vec(t):
    """A tensor as a flat list of numbers."""
    return [num(v) for v in t.detach().reshape(-1).tolist()]


def mat(t):
    """A tensor of one or two dimensions as a matrix (a vector is one row)."""
    t = t.detach()
    if t.dim() == 1:
        t = t.reshape(1, -1)
    assert t.dim() == 2, t.shape
    return {"rows": t.shape[0], "cols": t.shape[1], "data": vec(t)}


def write(relpath, script, cases):
    """Writes cases to relpath (relative to the module root), noting script
    and the torch version that produced them."""
    path = os.path.join(ROOT, relpath)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    doc = {
        "generated": "by internal/gen/%s with torch %s; DO NOT EDIT" % (script, torch.__version__),
        "cases": cases,
    }
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", relpath, "(%d cases)" % len(cases))
