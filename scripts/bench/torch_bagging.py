"""The PyTorch side of `npm run bench`.

Trains the same workload two ways and prints one JSON line for each:
- "torchensemble-style": what torchensemble's BaggingClassifier does as users run it: each
  member draws its own bootstrap sample and trains through a shuffling DataLoader, members one
  after another, torch on all cores;
- "tight loop": the same members on the same bootstrap samples, batches cut straight from
  tensors with a random permutation, no DataLoader.
Usage: python3 torch_bagging.py <workload.json>
"""
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4 : 4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def read_csv(path, target):
    with open(path) as f:
        header = f.readline().strip().split(",")
        rows = [line.strip().split(",") for line in f if line.strip()]
    t = header.index(target)
    x = np.array([[float(v) for i, v in enumerate(r) if i != t] for r in rows], np.float32)
    labels = sorted({r[t] for r in rows})
    y = np.array([labels.index(r[t]) for r in rows], np.int64)
    return x, y


def load(workload):
    data = workload["torch"]
    if data["kind"] == "idx":
        xtr = read_idx(data["trainImages"]).reshape(-1, 784).astype(np.float32) / 255.0
        ytr = read_idx(data["trainLabels"]).astype(np.int64)
        xte = read_idx(data["testImages"]).reshape(-1, 784).astype(np.float32) / 255.0
        yte = read_idx(data["testLabels"]).astype(np.int64)
        return xtr, ytr, xte, yte
    x, y = read_csv(data["file"], data["target"])
    rng = np.random.default_rng(0)
    order = rng.permutation(len(x))
    cut = int(len(x) * 0.8)
    xtr, ytr, xte, yte = x[order[:cut]], y[order[:cut]], x[order[cut:]], y[order[cut:]]
    mean, std = xtr.mean(0), xtr.std(0) + 1e-7
    return (xtr - mean) / std, ytr, (xte - mean) / std, yte


def mlp(inputs, hidden, classes):
    layers, width = [], inputs
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    return nn.Sequential(*layers, nn.Linear(width, classes))


def train_member(model, x, y, workload, tight):
    opt = torch.optim.Adam(model.parameters(), lr=workload["learningRate"])
    loss_fn = nn.CrossEntropyLoss()
    batch = workload["batchSize"]
    for _ in range(workload["epochs"]):
        if tight:
            order = torch.randperm(len(x))
            batches = ((x[order[i : i + batch]], y[order[i : i + batch]])
                       for i in range(0, len(x), batch))
        else:
            batches = DataLoader(TensorDataset(x, y), batch_size=batch, shuffle=True)
        for xb, yb in batches:
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()


def run(workload, tight):
    xtr, ytr, xte, yte = load(workload)
    xtr, ytr, xte = torch.from_numpy(xtr), torch.from_numpy(ytr), torch.from_numpy(xte)
    classes = int(ytr.max()) + 1
    torch.manual_seed(1)
    started, cpu_started = time.perf_counter(), time.process_time()
    members = []
    for _ in range(workload["members"]):
        rows = torch.randint(0, len(xtr), (len(xtr),))
        model = mlp(xtr.shape[1], workload["hidden"], classes)
        train_member(model, xtr[rows], ytr[rows], workload, tight)
        members.append(model)
    fit = time.perf_counter() - started
    fit_cpu = time.process_time() - cpu_started
    with torch.no_grad():
        probs = sum(torch.softmax(m(xte), 1) for m in members) / len(members)
    accuracy = float((probs.argmax(1).numpy() == yte).mean())
    samples = workload["members"] * workload["epochs"] * len(xtr)
    return {
        "side": "pytorch-tight-loop" if tight else "pytorch-torchensemble-style",
        "workload": workload["name"],
        "threads": torch.get_num_threads(),
        "fitSeconds": fit,
        "fitCpuUtilisation": fit_cpu / fit,
        "memberSamplesPerSecond": samples / fit,
        "testAccuracy": accuracy,
    }


if __name__ == "__main__":
    spec = json.load(open(sys.argv[1]))
    # torch on all cores, as users run it (Debian's build starts with one thread here).
    torch.set_num_threads(spec.get("threads", os.cpu_count()))
    for tight in (False, True):
        print(json.dumps(run(spec, tight)), flush=True)
