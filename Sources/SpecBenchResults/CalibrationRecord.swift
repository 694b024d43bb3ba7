import SpecBenchCore

/// The machine-speed calibration recorded in a run's manifest (measured by the harness's
/// `Calibration`), read by `bench compare` to judge times relative to the machine's speed.

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

    /// A value with every field given (those with a default may be left out).
    public init(gemmSeconds: Double, fftSeconds: Double, takenAt: String) {
        self.gemmSeconds = gemmSeconds
        self.fftSeconds = fftSeconds
        self.takenAt = takenAt
    }
}

/// Calibration at the start and end of a run.
public struct CalibrationRecord: Codable, Sendable, Equatable {
    /// Before the first point.
    public var start: CalibrationSample
    /// After the last point.
    public var end: CalibrationSample?
    /// The machine's peak rates, measured before the first point (nil in runs recorded before
    /// cost models).
    public var peaks: MachinePeaks?

    /// The run's machine-speed score: geometric mean of the start and end scores (seconds; lower
    /// is faster).
    public var score: Double {
        guard let end else { return start.score }
        return (start.score * end.score).squareRoot()
    }

    /// A value with every field given (those with a default may be left out).
    public init(start: CalibrationSample, end: CalibrationSample? = nil, peaks: MachinePeaks? = nil) {
        self.start = start
        self.end = end
        self.peaks = peaks
    }
}
