"""A small reader and writer of the safetensors format, for the fixture
generators (Debian has no safetensors package). It follows the format of
github.com/huggingface/safetensors: 8 bytes of little-endian header length
N, N bytes of a JSON header padded with spaces to a multiple of 8, then the
tensors' bytes, row-major and little-endian, one after another.

write(path_or_file, tensors, metadata) writes an ordered dict of name ->
torch tensor; read(path) returns (ordered dict, metadata) after the checks
the reference reader makes.
"""

import json
import struct
import sys

import torch

DTYPES = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16",
    torch.bfloat16: "BF16", torch.int64: "I64", torch.int32: "I32",
    torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL",
}
TORCH = {v: k for k, v in DTYPES.items()}
SIZE = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4,
        "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}

assert sys.byteorder == "little", "tensor bytes are written as the machine holds them"


def tensor_bytes(t):
    """The little-endian bytes of t, row-major."""
    t = t.detach().contiguous()
    if t.dtype in (torch.bfloat16, torch.float16):
        t = t.view(torch.int16)  # numpy has no bfloat16
    return t.numpy().tobytes()


def write(dst, tensors, metadata=None):
    header = {}
    if metadata:
        header["__metadata__"] = dict(metadata)
    blobs, off = [], 0
    for name, t in tensors.items():
        b = tensor_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    out = struct.pack("<Q", len(h)) + h + b"".join(blobs)
    if hasattr(dst, "write"):
        dst.write(out)
    else:
        with open(dst, "wb") as f:
            f.write(out)


def read(path):
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack("<Q", buf[:8])
    if n > 100_000_000 or 8 + n > len(buf):
        raise ValueError("bad header length %d" % n)

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate key in header")
        return dict(pairs)

    header = json.loads(buf[8:8 + n].decode("utf-8"), object_pairs_hook=no_duplicates)
    metadata = header.pop("__metadata__", None)
    data = buf[8 + n:]
    entries = sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"]))
    at, out = 0, {}
    for name, e in entries:
        b, end = e["data_offsets"]
        numel = 1
        for s in e["shape"]:
            numel *= s
        if b != at or end < b or end - b != numel * SIZE[e["dtype"]]:
            raise ValueError("tensor %s: bad data_offsets %s" % (name, e["data_offsets"]))
        dtype = TORCH[e["dtype"]]
        raw = bytearray(data[b:end])
        if dtype in (torch.bfloat16, torch.float16):
            t = torch.frombuffer(raw, dtype=torch.int16).view(dtype) if raw else torch.empty(0, dtype=dtype)
        else:
            t = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(e["shape"])
        at = end
    if at != len(data):
        raise ValueError("data ends at %d, file holds %d" % (at, len(data)))
    # The order of the file's data, which write keeps as the state_dict's.
    return out, metadata
