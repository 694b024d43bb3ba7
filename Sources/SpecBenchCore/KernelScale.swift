import Foundation

/// A kernel whose entries lie far outside the ordinary range, scaled by a power of two so that
/// its largest entry lies in `[1, 2)`, and the factor that undoes it: the harness runs the
/// methods on the scaled kernel and multiplies their values by `factor`.
///
/// Only kernels whose largest entry is outside `[2^-20, 2^20]` are scaled (trained and random
/// layers are far inside, and run exactly as given): there the authors' formulas overflow or
/// underflow (entries near 1e300 made LipBound report 0 and PowerQR and Fantastic Four NaN; float32
/// overflows from about 1e19). Every method but PowerQR is positively homogeneous
/// (`σ(cK) = c·σ(K)`), and scaling by a power of two is exact, so their values are bit for bit
/// those of the unscaled kernel wherever that computation stays in range; PowerQR's `√(R_ii − 1)`
/// is not homogeneous (docs/methods.md §4, fact 9), so for such kernels it reports its estimate of the
/// scaled kernel, scaled back (docs/fidelity.md). An all-zero kernel is left as it is (every
/// method's answer is 0). O(cout·cin·kh·kw).
public struct KernelScale: Sendable {
    /// The kernel divided by `factor`.
    public let kernel: ConvolutionKernel
    /// A power of two: the original kernel is `factor · kernel`.
    public let factor: Double

    /// The ordinary range of a kernel's largest entry, run as given: `[2^-20, 2^20]`.
    public static let smallest = 0x1p-20, largest = 0x1p20

    /// `original` scaled so that its largest absolute entry is in `[1, 2)` when that entry is
    /// outside `[smallest, largest]`; else `original` itself (factor 1).
    public init(_ original: ConvolutionKernel) {
        let largest = original.values.reduce(0.0) { max($0, abs($1)) }
        guard largest > 0, largest.isFinite, largest < Self.smallest || largest > Self.largest else {
            kernel = original
            factor = 1
            return
        }
        let factor = Double(sign: .plus, exponent: largest.exponent, significand: 1)
        self.factor = factor
        kernel = factor == 1 ? original : try! ConvolutionKernel(shape: original.shape, values: original.values.map { $0 / factor })
    }
}
