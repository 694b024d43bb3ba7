"""orthogonium's `get_conv_sv` as an external method (docs/external-methods.md): Delattre et al.'s
Gram iteration on a Conv2d, per group, aggregated as the library aggregates groups (by default:
the product of the groups' values). Parameter `n_iter` (default 4, the default of the library's Gram functions; the Gram kernel doubles its side every iteration)."""
import specbench_protocol
import torch_common


def prepare(point):
    torch, kernel = torch_common.kernel_tensor(point)
    geometry = point["geometry"]
    if geometry["padding"] not in ("zero", "circular"):
        return {"notApplicable": "orthogonium handles zero and circular padding"}
    if geometry["dilation"] != [1, 1]:
        return {"notApplicable": "orthogonium's get_conv_sv ignores dilation"}
    from orthogonium.layers.conv.singular_values import get_conv_sv

    mode = "zeros" if geometry["padding"] == "zero" else "circular"
    layer = torch_common.conv_layer(torch, kernel, geometry, mode)
    return get_conv_sv, layer, geometry, int(point["parameters"].get("n_iter", 4))


def compute(state):
    get_conv_sv, layer, geometry, iterations = state
    value = get_conv_sv(layer, n_iter=iterations, agg_groups=True, return_stab_rank=False,
                        imsize=geometry["inputHeight"])
    return {"value": float(value), "iterations": iterations}


if __name__ == "__main__":
    specbench_protocol.run(prepare, compute)
