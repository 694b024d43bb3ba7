import NumericCore

/// The explicit matrix of a convolution operator, built entry by entry from the definition of
/// docs/methods.md §1 (independently of `ConvolutionOperator`'s index tables, so that each checks the
/// other). Stored column-major: entry `(row, column)` at `column·rows + row`, rows indexing
/// outputs `(o, r, c)` and columns inputs `(i, y, x)`, in a `LibraryBuffer` ready for LAPACK
/// (slack of one column after it). Memory `rows·columns` doubles; time O(cout·cin·kh·kw·m²)
/// after zeroing.
public enum UnrolledMatrix {
    /// The column-major elements of `A` for `kernel` under `geometry` (`.elements` copies them
    /// out as an array).
    public static func build(kernel: ConvolutionKernel, geometry g: ConvolutionGeometry) -> LibraryBuffer<Double> {
        let s = g.shape
        let n = g.inputSize
        let rows = g.rows
        let matrix = LibraryBuffer<Double>(count: rows * g.columns, leadingDimension: rows)
        for o in 0..<s.outputChannels {
            for r in 0..<g.outputHeight {
                for c in 0..<g.outputWidth {
                    let row = (o * g.outputHeight + r) * g.outputWidth + c
                    for dy in 0..<s.height {
                        guard let y = sourceIndex(r * g.stride + dy - g.padHeight, n, g.padding) else { continue }
                        for dx in 0..<s.width {
                            guard let x = sourceIndex(c * g.stride + dx - g.padWidth, n, g.padding) else { continue }
                            for i in 0..<s.inputChannels {
                                let column = (i * n + y) * n + x
                                matrix.add(kernel[o, i, dy, dx], at: column * rows + row)
                            }
                        }
                    }
                }
            }
        }
        return matrix
    }

    private static func sourceIndex(_ index: Int, _ n: Int, _ padding: Padding) -> Int? {
        switch padding {
        case .zero: return index >= 0 && index < n ? index : nil
        case .circular: return ((index % n) + n) % n
        }
    }
}
