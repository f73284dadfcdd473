"""The lesson in PyTorch: writes examples/lesson/testdata/pytorch.txt, the
output that `go run ./examples/lesson` reproduces line for line (the Go
test compares the numbers)."""

import io
import os

import torch
import torch.nn as nn
import torch.optim as optim

from fixture import ROOT

out = io.StringIO()


def show(name, t, fmt="%8.4f"):
    t = t.detach()
    if t.dim() == 1:
        t = t.reshape(1, -1)
    rows = [" ".join(fmt % v for v in row) for row in t.tolist()]
    if len(rows) == 1:
        print("%s: [%s]" % (name, rows[0]), file=out)
        return
    print("%s:" % name, file=out)
    for r in rows:
        print("  [%s]" % r, file=out)


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(16, 8), nn.Linear(8, 4), nn.Linear(4, 2))
print(model, file=out)
sample = torch.rand(1, 16)
target = torch.tensor([1])
show("sample", sample)

prediction = model(sample)
show("prediction", prediction)
criterion = nn.CrossEntropyLoss()
loss = criterion(prediction, target)
print("loss: %.6f" % loss.item(), file=out)

loss.backward()
print("gradients, from the last layer back:", file=out)
for name, p in reversed(list(model.named_parameters())):
    show(name + ".grad", p.grad)

lr = 0.001
with torch.no_grad():
    for p in model.parameters():
        p.copy_(p - lr * p.grad)
show("0.bias after weight = weight - lr * weight.grad", model[0].bias, "%10.6f")
print("loss after the manual update: %.6f" % criterion(model(sample), target).item(), file=out)

optimizer = optim.SGD(model.parameters(), lr=0.001)
optimizer.zero_grad()
criterion(model(sample), target).backward()
optimizer.step()
show("0.bias after optimizer.step()", model[0].bias, "%10.6f")
print("loss after optimizer.step(): %.6f" % criterion(model(sample), target).item(), file=out)

path = os.path.join(ROOT, "examples", "lesson", "testdata", "pytorch.txt")
with open(path, "w") as f:
    f.write(out.getvalue())
print(out.getvalue(), end="")
print("wrote", os.path.relpath(path, ROOT))
