"""A deliberately broken external method, for the harness's tests (docs/external-methods.md):
parameter `mode` picks the failure. Standard library only."""
import json
import os
import signal
import subprocess
import sys
import time

directory = sys.argv[-1]
with open(os.path.join(directory, "operator.json")) as handle:
    point = json.load(handle)
mode = point["parameters"].get("mode", "ok")
result_path = os.path.join(directory, "result.json")


def write(text):
    with open(result_path, "w") as handle:
        handle.write(text)


good = {"value": 1.0, "seconds": [0.001] * point["repetitions"]}
if mode == "ok":
    write(json.dumps(good))
elif mode == "exit-nonzero":
    sys.stderr.write("traceback line 1\nValueError: this method gave up\n")
    sys.exit(3)
elif mode == "no-result":
    pass
elif mode == "malformed":
    write('{"value": 1.0, "seconds": [0.1')
elif mode == "nan":
    write(json.dumps(dict(good, value=float("nan"))))
elif mode == "infinity":
    write(json.dumps(dict(good, value=float("inf"))))
elif mode == "negative":
    write(json.dumps(dict(good, value=-2.5)))
elif mode == "string-value":
    write(json.dumps(dict(good, value="large")))
elif mode == "missing-value":
    write(json.dumps({"seconds": [0.1]}))
elif mode == "missing-seconds":
    write(json.dumps({"value": 1.0}))
elif mode == "flood":
    chunk = "x" * 65536 + "\n"
    for _ in range(160):  # 10 MiB on each stream
        sys.stdout.write(chunk)
        sys.stderr.write(chunk)
    sys.stderr.write("the last line of a flood\n")
    sys.exit(1)
elif mode == "crash":
    os.kill(os.getpid(), signal.SIGSEGV)
elif mode == "allocate":
    blocks = []
    for _ in range(64):  # up to 4 GiB, touched
        blocks.append(bytearray(64 << 20))
        time.sleep(0.01)
elif mode == "hang":
    # A helper process of its own, then wait: the harness must stop both.
    helper = subprocess.Popen(["sleep", "300"])
    pid_file = point["parameters"].get("pidFile")
    if pid_file:
        with open(pid_file + ".partial", "w") as handle:
            handle.write(f"{os.getpid()} {helper.pid}\n")
        os.replace(pid_file + ".partial", pid_file)
    time.sleep(300)
elif mode == "not-applicable":
    write(json.dumps({"notApplicable": "this adapter declines every operator"}))
elif mode == "extra-fields":
    write(json.dumps(dict(good, gpu="none", history=[3, 2, 1])))
else:
    sys.exit(f"unknown mode {mode}")
