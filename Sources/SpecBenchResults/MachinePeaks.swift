import SpecBenchCore
import NumericCore
import SpecBenchMachine


/// The machine's calibrated peak rates, operations per second, for each kind of work a cost
/// model counts (`OperationCount`), in both precisions, measured once at the start of a run with
/// the run's thread counts (`Calibration.measurePeaks` in the harness): a large real gemm, a
/// large complex gemm, LAPACK's values-only complex SVD on 128² blocks side by side, and a 2-D
/// real FFT. Against them a
/// result's time becomes a fraction of what the machine allows (`fractionOfPeak`).
public struct MachinePeaks: Codable, Sendable, Equatable {
    /// Peak rates of one precision.
    public struct Rates: Codable, Sendable, Equatable {
        /// Real gemm (dgemm/sgemm), operations per second.
        public var realMatrix: Double
        /// Complex gemm (zgemm/cgemm), real operations per second.
        public var complexMatrix: Double
        /// Values-only complex SVD (zgesdd/cgesdd), real operations per second.
        public var decomposition: Double
        /// 2-D real inverse FFT, nominal `2.5·N·log₂N` operations per second.
        public var transform: Double

        /// Rates with every kind given.
        public init(realMatrix: Double, complexMatrix: Double, decomposition: Double, transform: Double) {
            self.realMatrix = realMatrix
            self.complexMatrix = complexMatrix
            self.decomposition = decomposition
            self.transform = transform
        }

        /// Seconds `count` takes with every kind of work at its peak rate.
        public func idealSeconds(_ count: OperationCount) -> Double {
            count.realMatrix / realMatrix + count.complexMatrix / complexMatrix
                + count.decomposition / decomposition + count.transform / transform
        }
    }

    /// Float64 rates.
    public var float64: Rates
    /// Float32 rates.
    public var float32: Rates
    /// BLAS threads the rates were measured with.
    public var blasThreads: Int
    /// The CPU's own peak on as many cores (`NominalPeak`): what the libraries could reach at
    /// best; nil in runs recorded before it was measured, or where it cannot be.
    public var nominal: NominalPeak?

    /// Peaks with every field given.
    public init(float64: Rates, float32: Rates, blasThreads: Int, nominal: NominalPeak? = nil) {
        self.float64 = float64
        self.float32 = float32
        self.blasThreads = blasThreads
        self.nominal = nominal
    }

    /// The rates of `precision`.
    public func rates(_ precision: Precision) -> Rates {
        precision == .float64 ? float64 : float32
    }

    /// The achieved fraction of the machine's peak: the seconds `count` would take at the peak
    /// rates of `precision`, over the measured `seconds`. Nil when nothing is counted or
    /// nothing was measured. Above 1 means the cost model overcounts (or the method did less work
    /// than modelled); it is shown as measured, never clipped.
    public func fractionOfPeak(_ count: OperationCount, seconds: Double, precision: Precision) -> Double? {
        guard count.total > 0, seconds > 0, seconds.isFinite else { return nil }
        return rates(precision).idealSeconds(count) / seconds
    }

    /// The achieved fraction of the CPU's nominal peak: every counted operation at the nominal
    /// rate of `precision`, over the measured `seconds`. It answers "how much of the machine",
    /// where `fractionOfPeak` answers "how much of our libraries". Nil without a nominal peak.
    public func fractionOfNominalPeak(_ count: OperationCount, seconds: Double, precision: Precision) -> Double? {
        guard let nominal, count.total > 0, seconds > 0, seconds.isFinite else { return nil }
        return count.total / nominal.rate(float32: precision == .float32) / seconds
    }
}
