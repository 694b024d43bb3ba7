import SpecBenchResults
import Foundation
import NumericCore
import SpecBenchCore
import SpecBenchMachine
import SpecBenchMethods

/// Machine-speed calibration: a fixed dgemm and a fixed 2-D FFT, timed at the start and at the
/// end of every run, so that `bench compare` can judge times relative to the machine's speed
/// (a baseline from another machine still means something) and say when machines differ.
public enum Calibration {
    /// Side of the square dgemm.
    public static let gemmSide = 384
    /// Side of the 2-D inverse real FFT.
    public static let fftSide = 256
    /// Timed runs per workload (the median is kept).
    public static let runs = 9

    /// Times both workloads now, with the current thread settings. About 0.1 s.
    public static func measure() -> CalibrationSample {
        var generator = SeededGeneratorBox.make()
        let a = (0..<(gemmSide * gemmSide)).map { _ in generator.nextUniform() - 0.5 }
        var c = [Double](repeating: 0, count: gemmSide * gemmSide)
        let gemm = median((0..<runs).map { _ in
            let watch = Stopwatch()
            BLAS.multiply(rows: gemmSide, columns: gemmSide, inner: gemmSide, a: a, b: a, into: &c)
            return watch.elapsedSeconds
        })
        let fft = RealInverseFFT2D<Double>(rows: fftSide, columns: fftSide)
        let spectrum = ComplexBuffer(interleaved: (0..<(2 * fftSide * fft.halfColumns)).map { _ in generator.nextUniform() - 0.5 })
        let transform = median((0..<runs).map { _ in
            let watch = Stopwatch()
            _ = fft.inverse(halfSpectrum: spectrum)
            return watch.elapsedSeconds
        })
        return CalibrationSample(gemmSeconds: gemm, fftSeconds: transform, takenAt: ISO8601DateFormatter().string(from: Date()))
    }

    /// The machine's peak rates (`MachinePeaks`) with the current thread settings, in both
    /// precisions: the best of 3 timed runs of a 1024² real gemm, a 384² complex gemm, eight
    /// values-only SVDs of 128² complex blocks side by side (`ParallelWork`) and a 512² inverse
    /// real FFT planned with `FFTW_MEASURE` (after one untimed run each); and the CPU's nominal peak on as many cores as
    /// BLAS threads (`NominalPeak`). About 1 s on 2 cores.
    public static func measurePeaks() -> MachinePeaks {
        MachinePeaks(float64: rates(Double.self), float32: rates(Float.self), blasThreads: ThreadControl.blasThreads,
                     nominal: NominalPeak.measure(features: CPUFeatures.current(), cores: ThreadControl.blasThreads))
    }

    private static func rates<Scalar: LinearAlgebraScalar>(_ type: Scalar.Type) -> MachinePeaks.Rates {
        var generator = SeededGeneratorBox.make()
        func best(_ work: () -> Void) -> Double {
            work()
            return (0..<3).map { _ in
                let watch = Stopwatch()
                work()
                return watch.elapsedSeconds
            }.min()!
        }
        let realSide = 1024
        let a = Scalar.rounding((0..<(realSide * realSide)).map { _ in generator.nextUniform() - 0.5 })
        var c = [Scalar](repeating: 0, count: realSide * realSide)
        let real = OperationCount.realProduct(realSide, realSide, realSide).total
            / best { BLAS.multiply(rows: realSide, columns: realSide, inner: realSide, a: a, b: a, into: &c) }

        let complexSide = 384
        let z = ComplexBuffer<Scalar>(interleaved: Scalar.rounding((0..<(2 * complexSide * complexSide)).map { _ in generator.nextUniform() - 0.5 }))
        var product = ComplexBuffer<Scalar>(count: complexSide * complexSide)
        let complex = 8 * Double(complexSide * complexSide) * Double(complexSide)
            / best { BLAS.complexMultiply(rows: complexSide, columns: complexSide, inner: complexSide, a: z, b: z, into: &product) }

        // Values-only SVDs of 128² complex blocks, side by side on the thread budget as the
        // per-frequency methods run them (one 256² SVD on a 2-thread LAPACK reaches half that rate).
        let svdSide = 128, svdCount = 8
        let blocks = ComplexBuffer<Scalar>(interleaved: Scalar.rounding((0..<(2 * svdSide * svdSide)).map { _ in generator.nextUniform() - 0.5 }))
        let decomposition = Double(svdCount) * OperationCount.complexSingularValues(svdSide, svdSide).total / best {
            _ = try? ParallelWork.map(count: svdCount) { _ in
                try LAPACK.complexSingularValues(rows: svdSide, columns: svdSide, elements: blocks)
            }
        }

        let fftSide = 512
        // Planned by measurement: the rate FFTW can reach at this size (1.33× ESTIMATE's at 512²).
        let fft = RealInverseFFT2D<Scalar>(rows: fftSide, columns: fftSide, planning: .measure)
        let spectrum = ComplexBuffer<Scalar>(interleaved: Scalar.rounding((0..<(2 * fftSide * fft.halfColumns)).map { _ in generator.nextUniform() - 0.5 }))
        let transform = OperationCount.realTransform(fftSide, fftSide).total
            / best { _ = fft.inverse(halfSpectrum: spectrum) }
        return MachinePeaks.Rates(realMatrix: real, complexMatrix: complex, decomposition: decomposition, transform: transform)
    }

    private static func median(_ values: [Double]) -> Double {
        TimingStatistics(samples: values).median
    }
}

/// The calibration's own generator (fixed seed: the workload is the same on every machine).
enum SeededGeneratorBox {
    static func make() -> SeededGenerator { SeededGenerator(seed: 20_241_121, stream: "calibration") }
}

