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

    /// The `count` elements from `offset`, as a new buffer. O(count).
    @inlinable
    public func slice(from offset: Int, count: Int) -> ComplexBuffer {
        precondition(offset >= 0 && count >= 0 && offset + count <= elements.count, "complex slice out of range")
        return ComplexBuffer(Array(elements[offset..<(offset + count)]))
    }

    /// The Euclidean norm of `count` elements from `offset` (default: all): ?nrm2 over their
    /// `2·count` scalars. O(count).
    @inlinable
    public func norm(offset: Int = 0, count: Int? = nil) -> Scalar {
        let n = count ?? (elements.count - offset)
        precondition(offset >= 0 && n >= 0 && offset + n <= elements.count, "complex norm out of range")
        if n == 0 { return 0 }
        return withUnsafeScalars { Scalar.blasNorm(Int32(2 * n), $0.baseAddress! + 2 * offset) }
    }

    /// Multiplies every element by the real `factor` (?scal over the scalars). O(count).
    @inlinable
    public mutating func scale(by factor: Scalar) {
        let n = elements.count
        if n == 0 { return }
        withUnsafeMutableScalars { Scalar.blasScale(Int32(2 * n), factor, $0.baseAddress!) }
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
