"""Times the authors' own PyTorch code for power iteration and PowerQR on this CPU.

Run by scripts/compare-with-authors, which copies the two authors' files (never committed) into
AUTHORS_DIR: conv_norm_bounds.py (GrishKate/conv_norm, bounds.py: Ryu et al.'s power iteration
as `compute_ryu_2019`) and fastclip_toolbox.py (Ali-E/FastClip, models/clip_toolbox.py:
`power_qr`). Every (c, n) of the grid gets one N(0, 1) kernel c × c × 3 × 3 in float32, zero
padding 1, 100 iterations; the time is the median of REPS timed calls after one warm-up.
Usage: AUTHORS_DIR=... THREADS=2 REPS=3 python authors_bench.py OUT.json C1,C2,... N1,N2,...
"""
import json, os, statistics, sys, time

sys.path.insert(0, os.environ["AUTHORS_DIR"])
import torch
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get("THREADS", "2")))
import conv_norm_bounds as bounds
import fastclip_toolbox as fastclip

REPS = int(os.environ.get("REPS", "3"))
ITERATIONS = 100


def median_seconds(run):
    run()
    samples = []
    value = None
    for _ in range(REPS):
        start = time.perf_counter()
        value = run()
        samples.append(time.perf_counter() - start)
    return float(value), statistics.median(samples)


def power_iteration(kernel, n):
    return bounds.compute_ryu_2019(kernel, (n, n), num_iters=ITERATIONS)


def powerqr(kernel, n):
    cin = kernel.shape[1]
    apply = lambda x: F.conv2d(x, kernel, padding=1)
    start = torch.randn(1, cin, n, n, dtype=kernel.dtype)
    return fastclip.power_qr(apply, start, n_iters=ITERATIONS, quiet=True)[0, 0]


def main():
    out, channels, sizes = sys.argv[1], sys.argv[2], sys.argv[3]
    rows = []
    for c in map(int, channels.split(",")):
        for n in map(int, sizes.split(",")):
            torch.manual_seed(0)
            kernel = torch.randn(c, c, 3, 3, dtype=torch.float32)
            for name, method in (("power-iteration", power_iteration), ("powerqr", powerqr)):
                torch.manual_seed(1)
                value, seconds = median_seconds(lambda: method(kernel, n))
                rows.append(dict(method=name, c=c, n=n, value=value, seconds=seconds))
                print(f"authors' {name} c={c} n={n}: {seconds:.4f} s", file=sys.stderr, flush=True)
    json.dump(dict(torch=torch.__version__, threads=torch.get_num_threads(), reps=REPS,
                   onednn=torch.backends.mkldnn.is_available(), rows=rows), open(out, "w"), indent=1)


if __name__ == "__main__":
    main()
