"""A NumPy-only external method (docs/external-methods.md): the reshaped-kernel bound
sqrt(kh*kw) * ||R||, R the (cout x cin*kh*kw) reshape of each group's kernel, the largest over
the groups. With zero or circular padding every tap's shift is a contraction, so the bound holds
for any stride and dilation (upper); with reflect or replicate padding it does not (estimate).
Parameter `norm`: `spectral` (default, ||R||_2) or `frobenius` (||R||_F, looser). With
`norm: exact-circular` it computes instead the exact norm of a circular, stride-1, undilated
layer from its symbol (the largest singular value over the frequencies), for the tests."""
import sys

import specbench_protocol


def prepare(point):
    import numpy as np

    geometry = point["geometry"]
    kernel = np.load(point["kernelPath"]).astype(np.float32 if point["precision"] == "float32" else np.float64)
    norm = point["parameters"].get("norm", "spectral")
    if norm == "exact-circular":
        if geometry["padding"] != "circular" or geometry["stride"] != [1, 1] or geometry["dilation"] != [1, 1] or geometry["groups"] != 1:
            return {"notApplicable": "exact-circular needs a circular, stride-1, undilated, ungrouped layer"}
    elif norm not in ("spectral", "frobenius"):
        raise SystemExit(f"unknown norm '{norm}'; accepted: spectral, frobenius, exact-circular")
    return np, kernel, geometry, norm


def compute(state):
    np, kernel, geometry, norm = state
    if norm == "exact-circular":
        height, width = geometry["inputHeight"], geometry["inputWidth"]
        symbol = np.fft.fft2(kernel, s=(height, width), axes=(2, 3))  # (cout, cin, H, W)
        blocks = np.transpose(symbol, (2, 3, 0, 1))
        values = np.linalg.svd(blocks, compute_uv=False).ravel()
        values = np.sort(values)[::-1]
        return {"value": float(values[0]), "values": [float(v) for v in values[:1]]}
    groups = geometry["groups"]
    cout = kernel.shape[0]
    taps = kernel.shape[2] * kernel.shape[3]
    best = 0.0
    for group in range(groups):
        block = kernel[group * cout // groups:(group + 1) * cout // groups].reshape(cout // groups, -1)
        size = np.linalg.norm(block, 2) if norm == "spectral" else np.linalg.norm(block)
        best = max(best, float(size))
    return {"value": float(np.sqrt(taps) * best)}


if __name__ == "__main__":
    specbench_protocol.run(prepare, compute)
