"""Shared by the PyTorch adapters: the point's kernel as a tensor in the precision asked, and
PyTorch's threads set to the point's."""
import numpy as np


def kernel_tensor(point):
    import torch

    torch.set_num_threads(point["threads"])
    torch.manual_seed(point["seed"])
    dtype = torch.float32 if point["precision"] == "float32" else torch.float64
    return torch, torch.from_numpy(np.load(point["kernelPath"])).to(dtype)


def conv_layer(torch, kernel, geometry, padding_mode):
    """A torch.nn.Conv2d holding `kernel` with the point's stride, dilation and groups."""
    cout, cin_per_group, kh, kw = kernel.shape
    layer = torch.nn.Conv2d(cin_per_group * geometry["groups"], cout, (kh, kw), stride=tuple(geometry["stride"]),
                            dilation=tuple(geometry["dilation"]), groups=geometry["groups"], bias=False,
                            padding=(geometry["pads"][0], geometry["pads"][1]), padding_mode=padding_mode)
    layer = layer.to(kernel.dtype)
    with torch.no_grad():
        layer.weight.copy_(kernel)
    return layer
