/// A value per spatial axis, `(height, width)`: a stride, a dilation or an output padding
/// (docs/methods.md §5). Encoded as one integer when both are equal, else `[height, width]`,
/// so square operators write what they always wrote.
public struct AxisPair: Codable, Sendable, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// Along rows.
    public var height: Int
    /// Along columns.
    public var width: Int

    /// A pair.
    public init(_ height: Int, _ width: Int) {
        self.height = height
        self.width = width
    }

    /// The same value on both axes.
    public init(_ both: Int) { self.init(both, both) }

    /// The same value on both axes, written as a literal.
    public init(integerLiteral value: Int) { self.init(value) }

    /// `(1, 1)`.
    public static let one = AxisPair(1)
    /// `(0, 0)`.
    public static let zero = AxisPair(0)

    /// Whether both axes hold the same value.
    public var isUniform: Bool { height == width }

    /// `s` when uniform, else `sh,sw`.
    public var description: String { isUniform ? "\(height)" : "\(height),\(width)" }

    /// Parses `V` or `VH,VW` (as given to `--input-size`, `--stride`, `--dilation`,
    /// `--output-padding`), each at least `minimum`, naming `name` (and `symbol`, e.g. `n`) and
    /// what is accepted on failure.
    public static func parse(_ text: String, name: String, symbol: String? = nil, minimum: Int) throws -> AxisPair {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0 != nil && $0! >= minimum && $0! <= 1 << 15 }) else {
            let kind = minimum == 1 ? "a positive integer" : minimum == 0 ? "a non-negative integer" : "an integer from \(minimum)"
            throw InvalidInput("invalid \(name) \(symbol.map { "\($0) = " } ?? "")\(text); accepted: \(kind) or two, height,width, each at most 32768")
        }
        return parts.count == 1 ? AxisPair(parts[0]!) : AxisPair(parts[0]!, parts[1]!)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let single = try? container.decode(Int.self) {
            self.init(single)
            return
        }
        let pair = try container.decode([Int].self)
        guard pair.count == 2 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected one integer or two")
        }
        self.init(pair[0], pair[1])
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if isUniform { try container.encode(height) } else { try container.encode([height, width]) }
    }
}

/// The pads of a 2-D convolution, `(top, left, bottom, right)` as in ONNX order `[t, l, b, r]`
/// reordered to read as PyTorch's `F.pad` sides (docs/methods.md §5). Encoded as one integer
/// when all four are equal, `[height, width]` when symmetric, else `[top, left, bottom, right]`.
public struct Pads: Codable, Sendable, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// Rows added above.
    public var top: Int
    /// Columns added on the left.
    public var left: Int
    /// Rows added below.
    public var bottom: Int
    /// Columns added on the right.
    public var right: Int

    /// Four pads.
    public init(top: Int, left: Int, bottom: Int, right: Int) {
        self.top = top
        self.left = left
        self.bottom = bottom
        self.right = right
    }

    /// Symmetric pads: `height` above and below, `width` left and right.
    public init(height: Int, width: Int) { self.init(top: height, left: width, bottom: height, right: width) }

    /// The same pad on every side, written as a literal.
    public init(integerLiteral value: Int) { self.init(height: value, width: value) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let single = try? container.decode(Int.self) {
            self.init(height: single, width: single)
            return
        }
        let values = try container.decode([Int].self)
        switch values.count {
        case 2: self.init(height: values[0], width: values[1])
        case 4: self.init(top: values[0], left: values[1], bottom: values[2], right: values[3])
        default: throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected P, [PH, PW] or [T, L, B, R]")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if isSymmetric {
            if top == left { try container.encode(top) } else { try container.encode([top, left]) }
        } else {
            try container.encode(values)
        }
    }

    /// TensorFlow's (and ONNX's `SAME_UPPER`) padding along one axis of `side` values:
    /// `(before, after)` with total `max((⌈n/s⌉ − 1)s + d(k − 1) + 1 − n, 0)`, the smaller half
    /// before. O(1).
    public static func same(side: Int, kernel: Int, stride: Int, dilation: Int = 1) -> (before: Int, after: Int) {
        let output = (side + stride - 1) / stride
        let total = max((output - 1) * stride + dilation * (kernel - 1) + 1 - side, 0)
        return (total / 2, total - total / 2)
    }

    /// Whether top equals bottom and left equals right.
    public var isSymmetric: Bool { top == bottom && left == right }

    /// The four pads as `[top, left, bottom, right]`.
    public var values: [Int] { [top, left, bottom, right] }

    /// `P`, `PH,PW` or `T,L,B,R`.
    public var description: String {
        if isSymmetric { return top == left ? "\(top)" : "\(top),\(left)" }
        return values.map(String.init).joined(separator: ",")
    }

    /// Parses `P`, `PH,PW` or `T,L,B,R` (as given to `--pad`), each non-negative.
    public static func parse(_ text: String) throws -> Pads {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard [1, 2, 4].contains(parts.count), parts.allSatisfy({ $0 != nil && $0! >= 0 && $0! <= 1 << 15 }) else {
            throw InvalidInput("invalid pad \(text); accepted: P, PH,PW or T,L,B,R, each a non-negative integer at most 32768")
        }
        let p = parts.map { $0! }
        switch p.count {
        case 1: return Pads(height: p[0], width: p[0])
        case 2: return Pads(height: p[0], width: p[1])
        default: return Pads(top: p[0], left: p[1], bottom: p[2], right: p[3])
        }
    }
}

/// What makes a layer a transposed convolution (PyTorch/ONNX ConvTranspose): its output padding.
/// The operator is the adjoint of the forward convolution the geometry describes, so it has the
/// same singular values (docs/methods.md §5).
public struct TransposedLayer: Codable, Sendable, Hashable {
    /// Rows and columns added on one side of the transposed layer's output.
    public var outputPadding: AxisPair

    /// A transposed layer with `outputPadding`.
    public init(outputPadding: AxisPair = .zero) { self.outputPadding = outputPadding }
}
