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
        let spectrum = (0..<(2 * fftSide * fft.halfColumns)).map { _ in generator.nextUniform() - 0.5 }
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

/// One calibration measurement.
public struct CalibrationSample: Codable, Sendable, Equatable {
    /// Median seconds of a 384×384 dgemm.
    public var gemmSeconds: Double
    /// Median seconds of a 256×256 inverse real FFT.
    public var fftSeconds: Double
    /// When it was taken.
    public var takenAt: String

    /// The geometric mean of the two workloads' seconds: one number for the machine's speed.
    public var score: Double { (gemmSeconds * fftSeconds).squareRoot() }
}

/// Calibration at the start and end of a run.
public struct CalibrationRecord: Codable, Sendable, Equatable {
    /// Before the first point.
    public var start: CalibrationSample
    /// After the last point.
    public var end: CalibrationSample?

    /// The run's machine-speed score: geometric mean of the start and end scores (seconds; lower
    /// is faster).
    public var score: Double {
        guard let end else { return start.score }
        return (start.score * end.score).squareRoot()
    }
}
