"""PyTorch's spectral normalisation as an external method (docs/external-methods.md): the value
`torch.nn.utils.parametrizations.spectral_norm` divides a Conv2d's weight by, i.e. its power
iteration on the (cout x cin*kh*kw) reshaped kernel (Miyato et al. 2018), with PyTorch's defaults
(15 iterations when the parametrisation is registered, from a seeded random start). It is not a
bound on the convolution's norm, though dividing by it is used as if it were."""
import specbench_protocol
import torch_common


def prepare(point):
    torch, kernel = torch_common.kernel_tensor(point)
    geometry = point["geometry"]
    if geometry["padding"] not in ("zero", "circular"):
        return {"notApplicable": "only zero and circular padding are mapped to torch.nn.Conv2d here"}
    mode = "zeros" if geometry["padding"] == "zero" else "circular"
    return torch, kernel, geometry, mode


def compute(state):
    torch, kernel, geometry, mode = state
    from torch.nn.utils.parametrizations import spectral_norm

    layer = torch_common.conv_layer(torch, kernel, geometry, mode)
    spectral_norm(layer)  # registers, running its power iteration 15 times
    layer.eval()
    with torch.no_grad():
        normalized = layer.weight
        sigma = torch.linalg.vector_norm(kernel) / torch.linalg.vector_norm(normalized)
    return {"value": float(sigma), "iterations": 15}


if __name__ == "__main__":
    specbench_protocol.run(prepare, compute)
