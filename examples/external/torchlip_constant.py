"""deel-torchlip's normalisation constant as an external method (docs/external-methods.md): a
SpectralConv2d divides its kernel by the reshaped kernel's spectral norm (spectral_norm) and
multiplies it by `compute_lconv_coef` (Serrurier et al., arXiv:2006.06520: for zero padding and
stride 1 a coefficient from the input size, else 1/sqrt(ceil(kh/s)·ceil(kw/s))); the layer it
makes is meant to be 1-Lipschitz, so the constant it implies for the original kernel is
||R||_2 / coefficient. Computed with the library's own coefficient and torch's matrix 2-norm."""
import specbench_protocol
import torch_common


def prepare(point):
    torch, kernel = torch_common.kernel_tensor(point)
    geometry = point["geometry"]
    if geometry["padding"] not in ("zero", "circular"):
        return {"notApplicable": "deel-torchlip's convolutions use zero or circular padding"}
    from deel.torchlip.utils.lconv_norm import compute_lconv_coef

    mode = "zeros" if geometry["padding"] == "zero" else "circular"
    shape = (geometry["inputChannelsPerGroup"] * geometry["groups"], geometry["inputHeight"], geometry["inputWidth"])
    coefficient = compute_lconv_coef((geometry["kernelHeight"], geometry["kernelWidth"]), shape,
                                     tuple(geometry["stride"]), mode)
    return torch, kernel.reshape(kernel.shape[0], -1), float(coefficient)


def compute(state):
    torch, reshaped, coefficient = state
    sigma = torch.linalg.matrix_norm(reshaped, ord=2)
    return {"value": float(sigma) / coefficient}


if __name__ == "__main__":
    specbench_protocol.run(prepare, compute)
