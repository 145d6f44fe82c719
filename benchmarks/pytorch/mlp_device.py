"""The seed MLP's training step (784-64-64-64-10, ReLU, cross-entropy, Adam 0.003) at batch 256 and 4096
on a torch device, as benchmarks/AutoGrad.Benchmarks' `gpu` mode measures it on AutoGrad's devices.

Usage: mlp_device.py --device cuda|cpu [--seconds 2] [--json PATH]
Exits 3 (and measures nothing) when the device is cuda and torch sees no CUDA GPU.
"""
import argparse
import json
import sys
import time

import torch


def measure(device, batch, seconds):
    torch.manual_seed(5)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 10)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.003)
    loss_fn = torch.nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(4)
    # As the AutoGrad runner: a few distinct batches on the host, copied to the device every step.
    images = [torch.rand(batch, 784, generator=generator) for _ in range(4)]
    labels = [torch.randint(0, 10, (batch,), generator=generator) for _ in range(4)]

    def step(i):
        x = images[i % 4].to(device, non_blocking=False)
        y = labels[i % 4].to(device, non_blocking=False)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()  # reads the loss back every step, as AutoGrad's Trainer does

    first = step(0)
    for i in range(3):
        step(i + 1)
    if device.type == "cuda":
        torch.cuda.synchronize()
    steps, last, start = 0, first, time.perf_counter()
    while time.perf_counter() - start < seconds or steps < 3:
        last = step(steps)
        steps += 1
    if device.type == "cuda":
        torch.cuda.synchronize()
    ms = (time.perf_counter() - start) * 1000 / steps
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    print(f"# torch {device.type} batch {batch}: {ms:.3f} ms/step over {steps} steps", file=sys.stderr)
    return {"device": f"torch-{device.type}", "accelerator": name, "batch": batch, "ms_per_step": ms,
            "samples_per_second": batch / (ms / 1000), "steps": steps, "first_loss": first, "last_loss": last}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--seconds", type=float, default=2)
    parser.add_argument("--json")
    args = parser.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        print("# torch sees no CUDA GPU; PyTorch CUDA not measured", file=sys.stderr)
        return 3
    if args.device == "cpu":
        torch.set_num_threads(1)
    device = torch.device(args.device)
    rows = [measure(device, batch, args.seconds) for batch in (256, 4096)]
    for r in rows:
        print(f"{r['device']:12} batch {r['batch']:5}  {r['ms_per_step']:9.3f} ms/step  {r['samples_per_second']:12,.0f} samples/s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
