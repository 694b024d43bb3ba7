import NumericCore

/// The explicit matrix of a convolution operator, built entry by entry from the definition of
/// docs/methods.md §1 and §5 (groups, dilation, rectangular inputs, any pads and padding mode;
/// independently of `ConvolutionOperator`'s index tables, so that each checks the
/// other). Stored column-major: entry `(row, column)` at `column·rows + row`, rows indexing
/// outputs `(o, r, c)` and columns inputs `(i, y, x)`, in a `LibraryBuffer` ready for LAPACK
/// (slack of one column after it). Memory `rows·columns` doubles; time O(cout·cin·kh·kw·m²)
/// after zeroing.
public enum UnrolledMatrix {
    /// The column-major elements of `A` for `kernel` under `geometry` (`.elements` copies them
    /// out as an array).
    public static func build(kernel: ConvolutionKernel, geometry g: ConvolutionGeometry) -> LibraryBuffer<Double> {
        let s = g.shape
        let rows = g.rows
        let height = g.inputHeight, width = g.inputWidth
        let outputsPerGroup = s.outputChannels / g.groups
        let matrix = LibraryBuffer<Double>(count: rows * g.columns, leadingDimension: rows)
        for o in 0..<s.outputChannels {
            let firstInput = (o / outputsPerGroup) * s.inputChannels
            for r in 0..<g.outputHeight {
                for c in 0..<g.outputWidth {
                    let row = (o * g.outputHeight + r) * g.outputWidth + c
                    for dy in 0..<s.height {
                        guard let y = g.sourceRow(r, tap: dy) else { continue }
                        for dx in 0..<s.width {
                            guard let x = g.sourceColumn(c, tap: dx) else { continue }
                            for i in 0..<s.inputChannels {
                                let column = ((firstInput + i) * height + y) * width + x
                                matrix.add(kernel[o, i, dy, dx], at: column * rows + row)
                            }
                        }
                    }
                }
            }
        }
        return matrix
    }
}
