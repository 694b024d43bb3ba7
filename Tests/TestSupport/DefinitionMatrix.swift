import Foundation
import NumericCore
import SpecBenchCore

/// The matrices of the general convolutions of docs/methods.md §5 built column by column from
/// their definitions (PyTorch's semantics), written out here independently of the library's
/// index maps: each column is the layer applied to one basis input. A forward layer pads the
/// image by building the padded copy (reflect by folding the index back until it lies inside,
/// replicate by clamping), then correlates it, strided and dilated, group by group; circular
/// padding reads indices modulo the side with output side `n/s` (§1). A transposed layer
/// scatters each input pixel through the weight. Small sizes only: O(rows·columns·taps).
public enum DefinitionMatrix {
    /// A dense real matrix, row-major.
    public struct Dense {
        /// Rows.
        public let rows: Int
        /// Columns.
        public let columns: Int
        /// Row-major entries.
        public var elements: [Double]

        /// All singular values, descending, by LAPACK.
        public func singularValues() -> [Double] {
            try! LAPACK.singularValues(of: DenseMatrix(rows: rows, columns: columns, elements: elements))
        }

        /// `M·x`.
        public func times(_ x: [Double]) -> [Double] {
            (0..<rows).map { r in (0..<columns).reduce(0.0) { $0 + elements[r * columns + $1] * x[$1] } }
        }

        /// `Mᵀ·y`.
        public func transposeTimes(_ y: [Double]) -> [Double] {
            (0..<columns).map { c in (0..<rows).reduce(0.0) { $0 + elements[$1 * columns + c] * y[$1] } }
        }
    }

    /// A forward layer as PyTorch states it.
    public struct Layer {
        public var kernel: ConvolutionKernel
        public var height: Int
        public var width: Int
        public var padding: Padding
        public var stride: (Int, Int) = (1, 1)
        public var dilation: (Int, Int) = (1, 1)
        /// `(top, left, bottom, right)`.
        public var pads: (Int, Int, Int, Int)
        public var groups: Int = 1

        public init(kernel: ConvolutionKernel, height: Int, width: Int, padding: Padding, stride: (Int, Int) = (1, 1),
                    dilation: (Int, Int) = (1, 1), pads: (Int, Int, Int, Int), groups: Int = 1) {
            self.kernel = kernel
            self.height = height
            self.width = width
            self.padding = padding
            self.stride = stride
            self.dilation = dilation
            self.pads = pads
            self.groups = groups
        }
    }

    /// The padded index's source along an axis of `size` for reflect (fold back without
    /// repeating the edge, as often as needed) and replicate (clamp); nil outside for zero.
    static func padded(_ index: Int, size: Int, _ padding: Padding) -> Int? {
        switch padding {
        case .zero: return index >= 0 && index < size ? index : nil
        case .replicate: return Swift.min(Swift.max(index, 0), size - 1)
        case .reflect:
            var k = index
            while k < 0 || k >= size { k = k < 0 ? -k : 2 * (size - 1) - k }
            return k
        case .circular: return ((index % size) + size) % size
        }
    }

    /// The matrix of a forward layer: rows `(o, r, c)`, columns `(i, y, x)`, row-major indices.
    public static func forward(_ layer: Layer) -> Dense {
        let s = layer.kernel.shape
        let cinTotal = s.inputChannels * layer.groups
        let (t, l, b, r) = layer.pads
        let outHeight: Int, outWidth: Int
        if layer.padding == .circular {
            outHeight = layer.height / layer.stride.0
            outWidth = layer.width / layer.stride.1
        } else {
            outHeight = (layer.height + t + b - layer.dilation.0 * (s.height - 1) - 1) / layer.stride.0 + 1
            outWidth = (layer.width + l + r - layer.dilation.1 * (s.width - 1) - 1) / layer.stride.1 + 1
        }
        let rows = s.outputChannels * outHeight * outWidth
        let columns = cinTotal * layer.height * layer.width
        var matrix = Dense(rows: rows, columns: columns, elements: [Double](repeating: 0, count: rows * columns))
        let outputsPerGroup = s.outputChannels / layer.groups
        for column in 0..<columns {
            // The basis image e_column.
            let channel = column / (layer.height * layer.width)
            let pixel = column % (layer.height * layer.width)
            let (py, px) = (pixel / layer.width, pixel % layer.width)
            for o in 0..<s.outputChannels {
                let group = o / outputsPerGroup
                let local = channel - group * s.inputChannels
                guard local >= 0 && local < s.inputChannels else { continue }
                for rr in 0..<outHeight {
                    for cc in 0..<outWidth {
                        var sum = 0.0
                        for dy in 0..<s.height {
                            for dx in 0..<s.width {
                                // Position in the padded image, then its source pixel.
                                let y = rr * layer.stride.0 + dy * layer.dilation.0 - t
                                let x = cc * layer.stride.1 + dx * layer.dilation.1 - l
                                guard let sy = padded(y, size: layer.height, layer.padding),
                                      let sx = padded(x, size: layer.width, layer.padding),
                                      sy == py && sx == px else { continue }
                                sum += layer.kernel[o, local, dy, dx]
                            }
                        }
                        matrix.elements[((o * outHeight + rr) * outWidth + cc) * columns + column] = sum
                    }
                }
            }
        }
        return matrix
    }

    /// The matrix of a PyTorch `ConvTranspose2d` with weight `(cin, cout/groups, kh, kw)` on a
    /// `height × width` input: each input pixel adds `weight · x` at output position
    /// `(a·s_h − top + dy·d_h, b·s_w − left + dx·d_w)`, dropped outside the output of side
    /// `(H − 1)s − top − bottom + d(k − 1) + outputPadding + 1`.
    public static func transposed(
        weight: ConvolutionKernel, height: Int, width: Int, stride: (Int, Int), dilation: (Int, Int) = (1, 1),
        pads: (Int, Int, Int, Int), outputPadding: (Int, Int), groups: Int = 1
    ) -> Dense {
        let s = weight.shape
        let cin = s.outputChannels, coutPerGroup = s.inputChannels
        let cout = coutPerGroup * groups
        let (t, l, b, r) = pads
        let outHeight = (height - 1) * stride.0 - t - b + dilation.0 * (s.height - 1) + outputPadding.0 + 1
        let outWidth = (width - 1) * stride.1 - l - r + dilation.1 * (s.width - 1) + outputPadding.1 + 1
        let rows = cout * outHeight * outWidth, columns = cin * height * width
        var matrix = Dense(rows: rows, columns: columns, elements: [Double](repeating: 0, count: rows * columns))
        let inputsPerGroup = cin / groups
        for ic in 0..<cin {
            let group = ic / inputsPerGroup
            for a in 0..<height {
                for bb in 0..<width {
                    let column = (ic * height + a) * width + bb
                    for local in 0..<coutPerGroup {
                        let oc = group * coutPerGroup + local
                        for dy in 0..<s.height {
                            for dx in 0..<s.width {
                                let y = a * stride.0 - t + dy * dilation.0, x = bb * stride.1 - l + dx * dilation.1
                                guard y >= 0 && y < outHeight && x >= 0 && x < outWidth else { continue }
                                matrix.elements[((oc * outHeight + y) * outWidth + x) * columns + column] += weight[ic, local, dy, dx]
                            }
                        }
                    }
                }
            }
        }
        return matrix
    }

    /// The matrix of a PyTorch `Conv1d` (zero padding) with kernel `(cout, cin/groups, k)`
    /// (stored as `kh = 1`) on a length-`width` input.
    public static func oneDimensional(
        kernel: ConvolutionKernel, width: Int, stride: Int, dilation: Int, pads: (Int, Int), groups: Int = 1
    ) -> Dense {
        let s = kernel.shape
        precondition(s.height == 1, "a 1-D kernel is stored with kh = 1")
        let out = (width + pads.0 + pads.1 - dilation * (s.width - 1) - 1) / stride + 1
        let cinTotal = s.inputChannels * groups
        let rows = s.outputChannels * out, columns = cinTotal * width
        var matrix = Dense(rows: rows, columns: columns, elements: [Double](repeating: 0, count: rows * columns))
        let outputsPerGroup = s.outputChannels / groups
        for o in 0..<s.outputChannels {
            let first = (o / outputsPerGroup) * s.inputChannels
            for c in 0..<out {
                for i in 0..<s.inputChannels {
                    for tap in 0..<s.width {
                        let x = c * stride + tap * dilation - pads.0
                        guard x >= 0 && x < width else { continue }
                        matrix.elements[(o * out + c) * columns + (first + i) * width + x] += kernel[o, i, 0, tap]
                    }
                }
            }
        }
        return matrix
    }
}
