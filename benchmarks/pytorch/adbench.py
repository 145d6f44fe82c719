"""PyTorch side of benchmarks/adbench.sh: one ADBench instance, its objective and gradient timed.

The objectives are written as a PyTorch user would: vectorised over points (GMM) and observations
(BA), a loop over time steps (LSTM), float64 as ADBench uses. The objective is timed under
torch.no_grad() (the cheapest primal), the gradient as forward + backward. For BA the gradient is
the sparse Jacobian's values: every observation's camera, point and weight gathered into leaf
tensors, then one backward pass per residual row (each residual depends on its own observation
only). Times are the fastest repeat, as ADBench reports them.

Usage: adbench.py --instance NAME --data DIR [--json PATH]   (run through /usr/bin/python3)
"""
import argparse
import json
import math
import resource
import time

import torch

INSTANCES = {
    "gmm_d2_K5": "gmm/10k/gmm_d2_K5.txt",
    "gmm_d10_K25": "gmm/10k/gmm_d10_K25.txt",
    "gmm_d64_K25": "gmm/1k/gmm_d64_K25.txt",
    "ba1": "ba/ba1_n49_m7776_p31843.txt",
    "lstm_l2_c1024": "lstm/lstm_l2_c1024.txt",
    "lstm_l4_c1024": "lstm/lstm_l4_c1024.txt",
}
f64 = torch.float64


class Numbers:
    def __init__(self, path):
        self.tokens = open(path).read().split()
        self.at = 0

    def take(self, count):
        values = [float(t) for t in self.tokens[self.at:self.at + count]]
        if len(values) != count:
            raise ValueError("file ends early")
        self.at += count
        return torch.tensor(values, dtype=f64)

    def int(self):
        self.at += 1
        return int(float(self.tokens[self.at - 1]))


# --- GMM ---------------------------------------------------------------------------------------

def gmm_load(path):
    r = Numbers(path)
    d, k, n = r.int(), r.int(), r.int()
    alphas = r.take(k)
    means = r.take(k * d).reshape(k, d)
    icf = r.take(k * d * (d + 1) // 2).reshape(k, d * (d + 1) // 2)
    x = r.take(n * d).reshape(n, d)
    gamma, m = r.take(1).item(), r.int()
    # The strictly lower triangle, column by column: entry (row j, column i) for i < j.
    rows = [j for i in range(d) for j in range(i + 1, d)]
    cols = [i for i in range(d) for j in range(i + 1, d)]
    params = [alphas, means, icf]

    def objective(alphas, means, icf):
        qs = icf[:, :d]
        sum_qs = qs.sum(1)
        q_diags = torch.exp(qs)
        lower = torch.zeros(k, d, d, dtype=f64)
        lower[:, rows, cols] = icf[:, d:]
        centred = x[:, None, :] - means[None, :, :]
        q_centred = q_diags[None] * centred + torch.einsum("kji,nki->nkj", lower, centred)
        main_term = alphas + sum_qs - 0.5 * (q_centred ** 2).sum(2)
        slse = torch.logsumexp(main_term, 1).sum()
        wishart_n = d + m + 1
        c = wishart_n * d * (math.log(gamma) - 0.5 * math.log(2)) - torch.special.multigammaln(torch.tensor(0.5 * wishart_n, dtype=f64), d)
        prior = (0.5 * gamma * gamma * ((q_diags ** 2).sum(1) + (icf[:, d:] ** 2).sum(1)) - m * sum_qs).sum() - k * c
        return -n * d * 0.5 * math.log(2 * math.pi) + slse - n * torch.logsumexp(alphas, 0) + prior

    return params, objective


# --- LSTM --------------------------------------------------------------------------------------

def lstm_load(path):
    r = Numbers(path)
    l, c, b = r.int(), r.int(), r.int()
    main = r.take(2 * l * 4 * b).reshape(2 * l, 4 * b)
    extra = r.take(3 * b).reshape(3, b)
    state = r.take(2 * l * b).reshape(2 * l, b)
    sequence = r.take(c * b).reshape(c, b)

    def objective(main, extra):
        hidden = [state[2 * i] for i in range(l)]
        cell = [state[2 * i + 1] for i in range(l)]
        total = 0.0
        for t in range(c - 1):
            x = sequence[t] * extra[0]
            for i in range(l):
                gates = torch.cat((x, hidden[i], x, hidden[i])) * main[2 * i] + main[2 * i + 1]
                forget = torch.sigmoid(gates[:b])
                in_gate = torch.sigmoid(gates[b:2 * b])
                out_gate = torch.sigmoid(gates[2 * b:3 * b])
                change = torch.tanh(gates[3 * b:])
                cell[i] = cell[i] * forget + in_gate * change
                hidden[i] = out_gate * torch.tanh(cell[i])
                x = hidden[i]
            prediction = x * extra[1] + extra[2]
            normalised = prediction - torch.log(2 + torch.exp(prediction).sum())
            total = total + (sequence[t + 1] * normalised).sum()
        return -total / ((c - 1) * b)

    return [main, extra], objective


# --- BA ----------------------------------------------------------------------------------------

def ba_load(path):
    r = Numbers(path)
    n, m, p = r.int(), r.int(), r.int()
    camera, point, weight, feature = r.take(11), r.take(3), r.take(1), r.take(2)
    cams = camera.repeat(n, 1)
    points = point.repeat(m, 1)
    weights = weight.repeat(p)
    features = feature.repeat(p, 1)
    cam_index = torch.arange(p) % n
    point_index = torch.arange(p) % m
    return cams, points, weights, features, cam_index, point_index


def ba_residuals(cam, point, w, features):
    rot, centre = cam[:, 0:3], cam[:, 3:6]
    x = point - centre
    squared_theta = (rot ** 2).sum(1, keepdim=True)
    nonzero = squared_theta != 0
    theta = torch.sqrt(torch.where(nonzero, squared_theta, torch.ones_like(squared_theta)))
    axis = rot / theta
    cos, sin = torch.cos(theta), torch.sin(theta)
    rotated = x * cos + torch.cross(axis, x, dim=1) * sin + axis * ((axis * x).sum(1, keepdim=True) * (1 - cos))
    x_cam = torch.where(nonzero, rotated, x + torch.cross(rot, x, dim=1))
    projected = x_cam[:, 0:2] / x_cam[:, 2:3]
    rsq = (projected ** 2).sum(1, keepdim=True)
    distorted = projected * (1 + cam[:, 9:10] * rsq + cam[:, 10:11] * rsq * rsq)
    return w[:, None] * (distorted * cam[:, 6:7] + cam[:, 7:9] - features)


def ba_setup(path):
    cams, points, weights, features, cam_index, point_index = ba_load(path)

    def objective():
        with torch.no_grad():
            errors = ba_residuals(cams[cam_index], points[point_index], weights, features)
            weight_errors = 1 - weights ** 2
        return errors, weight_errors

    def jacobian():
        cam = cams[cam_index].requires_grad_()
        point = points[point_index].requires_grad_()
        w = weights.clone().requires_grad_()
        errors = ba_residuals(cam, point, w, features)
        rows = []
        for row in range(2):
            grads = torch.autograd.grad(errors[:, row].sum(), (cam, point, w), retain_graph=row == 0)
            rows.append(torch.cat((grads[0], grads[1], grads[2][:, None]), 1))
        blocks = torch.stack(rows, 1).reshape(-1)
        return torch.cat((blocks, -2 * weights))

    return objective, jacobian


# --- timing ------------------------------------------------------------------------------------

def fastest(call, min_time=0.2, repeats=5):
    start, warm = time.perf_counter(), 0
    while warm < 2 or time.perf_counter() - start < min_time:
        call()
        warm += 1
    per_call = (time.perf_counter() - start) / warm
    calls = max(1, int(min_time / per_call))
    if per_call > 1:
        repeats = 3  # seconds-long calls (PyTorch's LSTM gradient): the run stays within a minute
    best = math.inf
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(calls):
            call()
        best = min(best, (time.perf_counter() - t) / calls)
    return best


def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1e3
    return float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--instance", required=True, choices=INSTANCES)
    parser.add_argument("--data", required=True)
    parser.add_argument("--json")
    args = parser.parse_args()
    torch.set_num_threads(1)
    path = f"{args.data}/{INSTANCES[args.instance]}"

    if args.instance.startswith("ba"):
        objective, jacobian = ba_setup(path)
        errors, weight_errors = objective()
        value = float((errors ** 2).sum() + (weight_errors ** 2).sum())
        objective_time = fastest(objective)
        rss_before = rss_mb()
        gradient_time = fastest(jacobian)
        norm = float(jacobian().norm())
    else:
        params, f = (gmm_load if args.instance.startswith("gmm") else lstm_load)(path)

        def primal():
            with torch.no_grad():
                return f(*params)

        leaves = [p.clone().requires_grad_() for p in params]

        def gradient():
            return torch.autograd.grad(f(*leaves), leaves)

        value = float(primal())
        objective_time = fastest(primal)
        rss_before = rss_mb()
        gradient_time = fastest(gradient)
        norm = float(torch.sqrt(sum((g ** 2).sum() for g in gradient())))

    row = {
        "instance": args.instance, "objective": value, "gradient_norm": norm,
        "objective_ms": objective_time * 1e3, "gradient_ms": gradient_time * 1e3,
        "ratio": gradient_time / objective_time, "rss_before_gradient_mb": rss_before,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3,
    }
    print(f"# pytorch {args.instance}: objective {value!r}, |gradient| {norm!r}; objective {row['objective_ms']:.3f} ms, "
          f"gradient {row['gradient_ms']:.3f} ms, ratio {row['ratio']:.2f}; RSS {rss_before:.0f} MB before the gradient, "
          f"peak {row['peak_rss_mb']:.0f} MB", flush=True)
    if args.json:
        json.dump(row, open(args.json, "w"), indent=2)


if __name__ == "__main__":
    main()
