/// How a convolution treats the border (docs/methods.md §1 and §5), with PyTorch's semantics.
public enum Padding: String, Codable, Sendable, CaseIterable {
    /// Zeros beyond the input; output side `⌊(n + p_before + p_after − d(k − 1) − 1)/s⌋ + 1`.
    case zero
    /// Indices taken modulo `n`; output side `n/s`, requires `n % s == 0`. The pads only move the
    /// anchor (a unitary shift): the singular values do not depend on them.
    case circular
    /// The input mirrored at its edge without repeating the edge pixel (`x[−1] = x[1]`); needs
    /// each pad smaller than the side. Output side as `zero`.
    case reflect
    /// The edge pixel repeated (`x[−1] = x[0]`). Output side as `zero`.
    case replicate

    /// Parses a padding name, naming the accepted ones on failure.
    public static func parse(_ text: String) throws -> Padding {
        guard let value = Padding(rawValue: text) else {
            throw InvalidInput("unknown padding '\(text)'; accepted: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// Whether the output size follows the padded input (`zero`, `reflect`, `replicate`) rather
    /// than the circular `n/s`.
    public var padsTheInput: Bool { self != .circular }

    /// The input index a padded coordinate `index` reads along an axis of `size` values, or nil
    /// for a padding zero. The caller keeps reflect's pads below `size` (checked by
    /// `ConvolutionGeometry`). O(1).
    @inlinable
    public func source(_ index: Int, size: Int) -> Int? {
        if index >= 0 && index < size { return index }
        switch self {
        case .zero: return nil
        case .circular: return ((index % size) + size) % size
        case .replicate: return index < 0 ? 0 : size - 1
        case .reflect:
            guard size > 1 else { return 0 }
            // Mirror without repeating the edge; a period of 2(size − 1) covers any distance.
            let period = 2 * (size - 1)
            let folded = ((index % period) + period) % period
            return folded < size ? folded : period - folded
        }
    }
}
