"""The skeleton of one's own external method (docs/external-methods.md). Copy it, fill in
`prepare` and `compute`, and declare it in a YAML file:

    external:
      - id: my-bound
        command: [python3, my_bound.py]
        guarantee: upper          # or {zero: upper, circular: exact, ...}
        parameters: {iterations: 20}
"""
import numpy as np

import specbench_protocol


def prepare(point):
    """Once per point, counted as set-up: read the kernel, build what `compute` needs. Return
    {"notApplicable": "why"} to decline an operator."""
    kernel = np.load(point["kernelPath"])  # (cout, cin/groups, kh, kw), float64
    geometry = point["geometry"]          # inputHeight, padding, pads, stride, dilation, groups, ...
    iterations = int(point["parameters"].get("iterations", 20))
    return kernel, geometry, iterations


def compute(state):
    """Timed, `repetitions` times: return at least {"value": ...}."""
    kernel, geometry, iterations = state
    value = float(np.sqrt(kernel.shape[2] * kernel.shape[3]) * np.linalg.norm(kernel))  # replace with yours
    return {"value": value, "iterations": iterations}


if __name__ == "__main__":
    specbench_protocol.run(prepare, compute)
