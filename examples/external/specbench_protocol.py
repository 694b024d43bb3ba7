"""The harness side of docs/external-methods.md, for Python adapters: read the point, time the
method as the protocol asks (warm-up runs untimed, then one in-process time per repetition), write
result.json. Standard library only; an adapter imports it and calls `run(compute)`."""
import json
import os
import sys
import time

_PROCESS_START = time.perf_counter()


def read_point(directory):
    """The point's operator.json as a dict; the kernel path is point["kernelPath"]."""
    with open(os.path.join(directory, "operator.json")) as handle:
        point = json.load(handle)
    point["kernelPath"] = os.path.join(directory, point["kernelFile"])
    return point


def write_result(directory, result):
    """Writes result.json atomically (a reader never sees half a file)."""
    path = os.path.join(directory, "result.json")
    with open(path + ".partial", "w") as handle:
        json.dump(dict(result, schemaVersion=1), handle)
    os.replace(path + ".partial", path)


def run(prepare, compute):
    """`prepare(point)` builds what the method needs (imports, tensors): counted as setup time
    with the interpreter's start-up since this module was imported; `compute(state)` returns a
    dict with at least "value" (and optionally "values", "iterations", "converged"), run
    point["warmup"] times untimed, then point["repetitions"] times timed."""
    directory = sys.argv[-1]
    point = read_point(directory)
    state = prepare(point)
    if isinstance(state, dict) and "notApplicable" in state:
        write_result(directory, {"notApplicable": state["notApplicable"]})
        return
    setup_seconds = time.perf_counter() - _PROCESS_START
    for _ in range(point["warmup"]):
        compute(state)
    seconds, outcome = [], None
    for _ in range(point["repetitions"]):
        start = time.perf_counter()
        outcome = compute(state)
        seconds.append(time.perf_counter() - start)
    write_result(directory, dict(outcome, seconds=seconds, setupSeconds=setup_seconds))
