import NumericCore

/// The adjoint of the map `K ↦ A(K)·x` for a fixed input `x`: the gradient of `⟨r, A(K)·x⟩` with
/// respect to the kernel, `G[o, i, dy, dx] = Σ_{r,c} r[o, r, c] · x[g(o)·cin_g + i, src(r, dy), src(c, dx)]`
/// (a correlation of the output-side residual with the input, docs/methods.md §1 and §5: any
/// padding mode, stride, dilation, pads and groups; `src` is the geometry's source index, a padding
/// zero contributing nothing). What a weight update of a convolution layer computes, without
/// automatic differentiation; FastClip's gradient steps use it.
/// Cost: one gather of `cin·m_h·m_w` per tap and one gemm `cout_g × cin_g × m_h·m_w` per tap and group:
/// `2·cout·cin_g·kh·kw·m_h·m_w` operations, those of one forward application.
public enum KernelGradient {
    /// `G` as above for `geometry` (not transposed), `residual` of `geometry.rows` entries and
    /// `input` of `geometry.columns`; row-major `(cout, cin_g, kh, kw)`.
    public static func correlate(residual: [Double], input: [Double], geometry: ConvolutionGeometry) -> [Double] {
        precondition(residual.count == geometry.rows && input.count == geometry.columns, "sizes do not match the geometry")
        let shape = geometry.shape
        let groups = geometry.groups
        let coutGroup = shape.outputChannels / groups, cinGroup = shape.inputChannels
        let cinTotal = geometry.inputChannels
        let (mh, mw) = (geometry.outputHeight, geometry.outputWidth)
        let (h, w) = (geometry.inputHeight, geometry.inputWidth)
        let positions = mh * mw
        let (kh, kw) = (shape.height, shape.width)
        var gathered = [Double](repeating: 0, count: cinTotal * positions)
        var tapGradient = [Double](repeating: 0, count: shape.outputChannels * cinGroup)
        var gradient = [Double](repeating: 0, count: shape.count)
        let rowSources = (0..<kh).map { dy in (0..<mh).map { geometry.sourceRow($0, tap: dy) } }
        let columnSources = (0..<kw).map { dx in (0..<mw).map { geometry.sourceColumn($0, tap: dx) } }
        for dy in 0..<kh {
            for dx in 0..<kw {
                for i in 0..<cinTotal {
                    for r in 0..<mh {
                        let base = i * positions + r * mw
                        guard let sr = rowSources[dy][r] else {
                            for c in 0..<mw { gathered[base + c] = 0 }
                            continue
                        }
                        let sourceBase = (i * h + sr) * w
                        for c in 0..<mw {
                            if let sc = columnSources[dx][c] { gathered[base + c] = input[sourceBase + sc] } else { gathered[base + c] = 0 }
                        }
                    }
                }
                for g in 0..<groups {
                    // tap gradient of group g: R_g (cout_g × m²) · X_gᵀ (m² × cin_g)
                    BLAS.multiply(rows: coutGroup, columns: cinGroup, inner: positions,
                                  a: residual, aOffset: g * coutGroup * positions,
                                  b: gathered, bOffset: g * cinGroup * positions, transposeB: true,
                                  into: &tapGradient, cOffset: g * coutGroup * cinGroup)
                }
                let tap = dy * kw + dx
                for o in 0..<shape.outputChannels {
                    for i in 0..<cinGroup {
                        gradient[(o * cinGroup + i) * shape.taps + tap] = tapGradient[o * cinGroup + i]
                    }
                }
            }
        }
        return gradient
    }
}
