"""Writes layer/testdata/{init,model}.json from PyTorch.

init.json: nn.Linear initialisation after torch.manual_seed, layer after
layer, with the values (small layers) and the SHA-256 of the float32
little-endian bytes of every weight and bias, then three torch.rand values
drawn afterwards, which show that the generator consumed exactly what it
should.

model.json: nn.Sequential models with every activation: output, input
gradient and parameter gradients of L = sum(y * c) for a random c (so
dL/dy = c), then the gradients after a second backward with another c,
which accumulate.
"""

import hashlib
import torch
import torch.nn as nn
import torch.optim as optim

from fixture import mat, vec, write


def digest(t):
    return hashlib.sha256(t.detach().contiguous().numpy().astype("<f4").tobytes()).hexdigest()


def describe(linears, values=True):
    out = []
    for l in linears:
        d = {"in": l.in_features, "out": l.out_features,
             "weight_sha256": digest(l.weight), "bias_sha256": digest(l.bias)}
        if values and l.weight.numel() <= 1024:
            d["weight"] = mat(l.weight)
            d["bias"] = vec(l.bias)
        out.append(d)
    return out


def init_cases():
    cases = []
    plans = [
        (0, [(16, 8), (8, 4), (4, 2)]),
        (1, [(16, 8), (8, 4), (4, 2)]),
        (42, [(784, 256), (256, 128), (128, 10)]),
        (12345, [(1, 1), (3, 5), (7, 13), (64, 10)]),
        (2**32 + 7, [(5, 3)]),  # torch keeps the low 32 bits
        (2**63 - 1, [(2, 2)]),
        (67280421310721, [(16, 8)]),  # c10's default_rng_seed_val
        # every fan_in from 1 to 300: the bound differs from 1/sqrt(fan_in)
        # in the last bit for some of them
        (7, [(k, 2) for k in range(1, 301)]),
    ]
    for seed, sizes in plans:
        torch.manual_seed(seed)
        linears = [nn.Linear(i, o) for i, o in sizes]
        cases.append({"seed": seed, "layers": describe(linears, len(sizes) < 10), "after": vec(torch.rand(3))})
    return cases


def build(spec):
    """spec: a list of ("linear", in, out), ("relu",), ("sigmoid",),
    ("tanh",) or ("seq", [spec...])."""
    layers = []
    for s in spec:
        if s[0] == "linear":
            layers.append(nn.Linear(s[1], s[2]))
        elif s[0] == "relu":
            layers.append(nn.ReLU())
        elif s[0] == "sigmoid":
            layers.append(nn.Sigmoid())
        elif s[0] == "tanh":
            layers.append(nn.Tanh())
        elif s[0] == "seq":
            layers.append(build(s[1]))
    return nn.Sequential(*layers)


def spec_json(spec):
    return [{"kind": s[0], "args": list(s[1:3])} if s[0] != "seq" else {"kind": "seq", "layers": spec_json(s[1])} for s in spec]


def model_cases():
    plans = [
        ("lesson batch 1", 0, [("linear", 16, 8), ("linear", 8, 4), ("linear", 4, 2)], 1),
        ("lesson batch 5", 3, [("linear", 16, 8), ("linear", 8, 4), ("linear", 4, 2)], 5),
        ("relu sigmoid", 1, [("linear", 5, 7), ("relu",), ("linear", 7, 3), ("sigmoid",)], 4),
        ("tanh odd", 2, [("linear", 13, 6), ("tanh",), ("linear", 6, 1)], 13),
        ("single", 4, [("linear", 3, 2)], 1),
        ("activation first", 5, [("tanh",), ("linear", 4, 3), ("relu",), ("linear", 3, 3)], 3),
        ("nested", 6, [("linear", 4, 5), ("seq", [("relu",), ("linear", 5, 3)]), ("tanh",)], 2),
        ("wide", 8, [("linear", 70, 33), ("relu",), ("linear", 33, 17), ("sigmoid",), ("linear", 17, 10)], 37),
    ]
    cases = []
    for name, seed, spec, batch in plans:
        torch.manual_seed(seed)
        model = build(spec)
        inputs = model[0].in_features if isinstance(model[0], nn.Linear) else next(m for m in model.modules() if isinstance(m, nn.Linear)).in_features
        x = (torch.rand(batch, inputs) * 4 - 2).requires_grad_()
        y = model(x)
        c1 = torch.rand(y.shape) * 2 - 1
        (y * c1).sum().backward()
        first = {n: mat(p.grad) for n, p in model.named_parameters()}
        dx1 = mat(x.grad)
        c2 = torch.rand(y.shape) * 2 - 1
        (model(x) * c2).sum().backward()
        cases.append({
            "name": name, "seed": seed, "layers": spec_json(spec),
            "x": mat(x), "y": mat(y), "c1": mat(c1), "c2": mat(c2),
            "params": {n: mat(p) for n, p in model.named_parameters()},
            "grads1": first, "dx1": dx1,
            "grads2": {n: mat(p.grad) for n, p in model.named_parameters()},
        })
    return cases


write("layer/testdata/init.json", "layer.py", init_cases())
write("layer/testdata/model.json", "layer.py", model_cases())


def train_cases():
    """Training runs: a model, a loss and optim.SGD for several steps, each
    on its own batch; the loss of every step and the parameters after it."""
    plans = [
        ("lesson sgd", 0, [("linear", 16, 8), ("linear", 8, 4), ("linear", 4, 2)],
         {"kind": "ce"}, {"lr": 0.001}, [1, 1, 1]),
        ("relu momentum", 1, [("linear", 10, 12), ("relu",), ("linear", 12, 4)],
         {"kind": "ce"}, {"lr": 0.1, "momentum": 0.9}, [8, 8, 5, 8, 3]),
        ("sigmoid nesterov weighted", 2, [("linear", 6, 9), ("sigmoid",), ("linear", 9, 5)],
         {"kind": "ce", "weight": [0.5, 1.0, 2.0, 1.5, 0.25], "label_smoothing": 0.1},
         {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.01}, [7, 7, 7, 7]),
        ("tanh mse dampening", 3, [("linear", 5, 7), ("tanh",), ("linear", 7, 3)],
         {"kind": "mse"}, {"lr": 0.02, "momentum": 0.5, "dampening": 0.3}, [4, 4, 4, 1]),
        ("deep sum maximize", 4, [("linear", 8, 8), ("relu",), ("linear", 8, 8), ("tanh",), ("linear", 8, 3)],
         {"kind": "ce", "reduction": "sum", "ignore_index": 0}, {"lr": 0.01, "momentum": 0.9, "maximize": True}, [6, 6, 6]),
    ]
    cases = []
    for name, seed, spec, lossspec, opt, batches in plans:
        torch.manual_seed(seed)
        model = build(spec)
        inputs = model[0].in_features
        outputs = [m for m in model.modules() if isinstance(m, nn.Linear)][-1].out_features
        params0 = {n: mat(p) for n, p in model.named_parameters()}
        if lossspec["kind"] == "ce":
            w = lossspec.get("weight")
            criterion = nn.CrossEntropyLoss(weight=torch.tensor(w) if w else None,
                                            reduction=lossspec.get("reduction", "mean"),
                                            ignore_index=lossspec.get("ignore_index", -100),
                                            label_smoothing=lossspec.get("label_smoothing", 0.0))
        else:
            criterion = nn.MSELoss()
        optimizer = optim.SGD(model.parameters(), **opt)
        steps = []
        for b in batches:
            x = torch.rand(b, inputs) * 2 - 1
            if lossspec["kind"] == "ce":
                target = torch.randint(0, outputs, (b,))
                tj = target.tolist()
            else:
                target = torch.rand(b, outputs) * 2 - 1
                tj = mat(target)
            optimizer.zero_grad()
            loss = criterion(model(x), target)
            loss.backward()
            optimizer.step()
            steps.append({"x": mat(x), "target": tj, "loss": loss.item(),
                          "params": {n: mat(p) for n, p in model.named_parameters()}})
        cases.append({"name": name, "seed": seed, "layers": spec_json(spec), "loss": lossspec,
                      "optimizer": opt, "params0": params0, "steps": steps})
    return cases


write("layer/testdata/train.json", "layer.py", train_cases())
