import SpecBenchResults
import Foundation
import NumericCore
import SpecBenchCore

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

    private static func median(_ values: [Double]) -> Double {
        TimingStatistics(samples: values).median
    }
}

/// The calibration's own generator (fixed seed: the workload is the same on every machine).
enum SeededGeneratorBox {
    static func make() -> SeededGenerator { SeededGenerator(seed: 20_241_121, stream: "calibration") }
}

