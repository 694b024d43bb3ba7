import Foundation

/// A kernel scaled by a power of two so that its largest entry lies in `[1, 2)`, and the factor
/// that undoes it: every method's estimate is positively homogeneous (`σ(cK) = c·σ(K)`), so the
/// harness runs the methods on the scaled kernel and multiplies their values by `factor`.
///
/// Scaling by a power of two is exact, and so is every rounding after it (sums, products and
/// quotients of scaled numbers are the scaled results), so on kernels whose computations stay in
/// range the values are bit for bit those of the unscaled kernel; on kernels with entries near
/// 1e300 or 1e-300 (or beyond float32's range, for the float32 methods) the methods no longer
/// overflow or underflow on their way to a representable answer. An all-zero kernel is left as
/// it is (factor 1; every method's answer is 0). O(cout·cin·kh·kw).
public struct KernelScale: Sendable {
    /// The kernel divided by `factor`.
    public let kernel: ConvolutionKernel
    /// A power of two: the original kernel is `factor · kernel`.
    public let factor: Double

    /// `original` scaled so that its largest absolute entry is in `[1, 2)`.
    public init(_ original: ConvolutionKernel) {
        let largest = original.values.reduce(0.0) { max($0, abs($1)) }
        guard largest > 0, largest.isFinite else {
            kernel = original
            factor = 1
            return
        }
        let factor = Double(sign: .plus, exponent: largest.exponent, significand: 1)
        self.factor = factor
        kernel = factor == 1 ? original : try! ConvolutionKernel(shape: original.shape, values: original.values.map { $0 / factor })
    }
}
