import ComplexModule
import RealModule

/// Complex numbers (swift-numerics' `Complex<Scalar>`) in one contiguous array, in either
/// precision: the one complex type of the numerics layer.
///
/// Every complex quantity of the methods lives here: the kernel's symbol `K̂(ω)` per frequency
/// (`KernelSpectrum`), the Gram iterates (Delattre et al. 2023, 2024), the half spectra handed to
/// the inverse FFT, the complex factors of the tensor-norm HOPM (Grishina et al. 2024). Its
/// memory is interleaved (re, im) pairs, the layout swift-numerics guarantees compatible with C99
/// `double complex`, LAPACKE's complex struct and `fftw_complex`, so `BLAS`, `LAPACK` and
/// `RealInverseFFT2D` hand it to the libraries without copying. Offsets and counts are in complex
/// elements everywhere. A complex vector of length `n` read as scalars is also the row-major
/// `n × 2` real matrix `[re im]`, which lets a real matrix multiply it in one gemm.
public struct ComplexBuffer<Scalar: LinearAlgebraScalar>: Sendable, Equatable {
    /// The elements.
    public var elements: [Complex<Scalar>]

    /// `count` zeros. O(count).
    @inlinable
    public init(count: Int) {
        elements = [Complex<Scalar>](repeating: .zero, count: count)
    }

    /// A buffer over `elements`.
    @inlinable
    public init(_ elements: [Complex<Scalar>]) { self.elements = elements }

    /// A buffer from interleaved (re, im) scalars (an even number of them). O(count).
    @inlinable
    public init(interleaved scalars: [Scalar]) {
        precondition(scalars.count % 2 == 0, "interleaved complex data needs an even number of scalars")
        elements = (0..<(scalars.count / 2)).map { Complex(scalars[2 * $0], scalars[2 * $0 + 1]) }
    }

    /// A buffer from separate real and imaginary parts of equal length. O(count).
    @inlinable
    public init(real: [Scalar], imaginary: [Scalar]) {
        precondition(real.count == imaginary.count, "real and imaginary parts differ in length")
        elements = zip(real, imaginary).map { Complex($0, $1) }
    }

    /// Number of complex elements.
    @inlinable
    public var count: Int { elements.count }

    /// Element access. O(1).
    @inlinable
    public subscript(index: Int) -> Complex<Scalar> {
        get { elements[index] }
        set { elements[index] = newValue }
    }

    /// The interleaved (re, im) scalars, as a new array. O(count).
    @inlinable
    public var interleaved: [Scalar] { withUnsafeScalars { Array($0) } }

    /// The Euclidean norm of `count` elements from `offset` (default: all): `BLAS.norm`'s
    /// computation over their `2·count` scalars. O(count).
    @inlinable
    public func norm(offset: Int = 0, count: Int? = nil) -> Scalar {
        let n = count ?? (elements.count - offset)
        precondition(offset >= 0 && n >= 0 && offset + n <= elements.count, "complex norm out of range")
        if n == 0 { return 0 }
        return withUnsafeScalars { BLAS.euclideanNorm(count: 2 * n, $0.baseAddress! + 2 * offset) }
    }

    /// Multiplies the first `count` elements (default: all) by the real `factor` (?scal over
    /// the scalars). O(count).
    @inlinable
    public mutating func scale(by factor: Scalar, count: Int? = nil) {
        let n = count ?? elements.count
        precondition(n >= 0 && n <= elements.count, "complex scale: out of range")
        if n == 0 { return }
        withUnsafeMutableScalars { Scalar.blasScale(Int32(2 * n), factor, $0.baseAddress!) }
    }

    /// Sets the first `count` elements to zero. O(count).
    @inlinable
    public mutating func setZero(count: Int) {
        precondition(count >= 0 && count <= elements.count, "complex zero: out of range")
        withUnsafeMutableScalars { $0.baseAddress!.update(repeating: 0, count: 2 * count) }
    }

    /// Copies `count` elements of `source` from `sourceOffset` to this buffer's `offset`. O(count).
    @inlinable
    public mutating func assign(from source: ComplexBuffer, sourceOffset: Int, count: Int, at offset: Int) {
        precondition(sourceOffset >= 0 && count >= 0 && sourceOffset + count <= source.count, "complex copy: source out of range")
        precondition(offset >= 0 && offset + count <= elements.count, "complex copy: destination out of range")
        if count == 0 { return }
        source.withUnsafeScalars { from in
            withUnsafeMutableScalars { to in
                (to.baseAddress! + 2 * offset).update(from: from.baseAddress! + 2 * sourceOffset, count: 2 * count)
            }
        }
    }

    /// The real part of the trace of the `order × order` row-major matrix at the start (for a
    /// Gram matrix `WᴴW`, `‖W‖_F²`). O(order).
    @inlinable
    public func realTrace(order: Int) -> Scalar {
        precondition(order >= 0 && order * order <= elements.count, "complex trace: out of range")
        return withUnsafeScalars { scalars in
            var sum: Scalar = 0
            for i in 0..<order { sum += scalars[2 * (i * order + i)] }
            return sum
        }
    }

    /// Writes the upper triangle (`i ≤ j`, row by row) of the `order × order` row-major matrix
    /// `matrix` to this buffer: entry number `p` of the triangle goes to `offset + p·step`.
    /// O(order²).
    @inlinable
    public mutating func assignUpperTriangle(of matrix: ComplexBuffer, order: Int, at offset: Int, step: Int) {
        let pairs = order * (order + 1) / 2
        precondition(order * order <= matrix.count, "upper triangle: matrix too small")
        precondition(offset >= 0 && step >= 1 && (pairs == 0 || offset + (pairs - 1) * step < elements.count),
                     "upper triangle: destination out of range")
        matrix.elements.withUnsafeBufferPointer { from in
            elements.withUnsafeMutableBufferPointer { to in
                var target = offset
                for i in 0..<order {
                    for j in i..<order {
                        to[target] = from[i * order + j]
                        target += step
                    }
                }
            }
        }
    }

    /// Copies the row-major `rows × columns` block at the start of `source` into this buffer
    /// as rows `leadingDimension` apart from `offset` (the block's row `r`, column `c` goes to
    /// `offset + r·leadingDimension + c`). O(rows·columns).
    @inlinable
    public mutating func assignBlock(from source: ComplexBuffer, rows: Int, columns: Int, at offset: Int, leadingDimension: Int) {
        precondition(rows * columns <= source.count, "block copy: source too small")
        precondition(columns <= leadingDimension, "block copy: rows overlap")
        precondition(rows == 0 || offset >= 0 && offset + (rows - 1) * leadingDimension + columns <= elements.count,
                     "block copy: destination out of range")
        source.elements.withUnsafeBufferPointer { from in
            elements.withUnsafeMutableBufferPointer { to in
                for r in 0..<rows {
                    (to.baseAddress! + offset + r * leadingDimension).update(from: from.baseAddress! + r * columns, count: columns)
                }
            }
        }
    }

    /// Sets elements `offset ..< offset + count` from separate parts: element `offset + e`
    /// becomes `real[realOffset + e] + i·imaginary[imaginaryOffset + e]` (the layout of a gemm
    /// that computes real and imaginary parts as separate rows). O(count).
    @inlinable
    public mutating func assign(
        real: [Scalar], realOffset: Int, imaginary: [Scalar], imaginaryOffset: Int, count: Int, at offset: Int
    ) {
        precondition(offset >= 0 && offset + count <= elements.count, "complex assign: out of range")
        precondition(realOffset + count <= real.count && imaginaryOffset + count <= imaginary.count, "complex assign: parts too short")
        withUnsafeMutableScalars { target in
            for e in 0..<count {
                target[2 * (offset + e)] = real[realOffset + e]
                target[2 * (offset + e) + 1] = imaginary[imaginaryOffset + e]
            }
        }
    }

    /// Multiplies element `offset + f` by the real `factors[f]`, for every `f`. O(factors.count).
    @inlinable
    public mutating func scale(from offset: Int, by factors: [Scalar]) {
        precondition(offset >= 0 && offset + factors.count <= elements.count, "complex scale: out of range")
        withUnsafeMutableScalars { scalars in
            for f in 0..<factors.count {
                scalars[2 * (offset + f)] *= factors[f]
                scalars[2 * (offset + f) + 1] *= factors[f]
            }
        }
    }

    /// Calls `body` with the interleaved scalars (2·count of them).
    @inlinable
    public func withUnsafeScalars<Result>(_ body: (UnsafeBufferPointer<Scalar>) throws -> Result) rethrows -> Result {
        try elements.withUnsafeBufferPointer { pointer in
            try UnsafeRawBufferPointer(pointer).withMemoryRebound(to: Scalar.self, body)
        }
    }

    /// Calls `body` with the interleaved scalars, writable.
    @inlinable
    public mutating func withUnsafeMutableScalars<Result>(_ body: (UnsafeMutableBufferPointer<Scalar>) throws -> Result) rethrows -> Result {
        try elements.withUnsafeMutableBufferPointer { pointer in
            try UnsafeMutableRawBufferPointer(pointer).withMemoryRebound(to: Scalar.self, body)
        }
    }
}
