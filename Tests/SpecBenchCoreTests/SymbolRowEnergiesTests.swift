import Foundation
import Testing
import NumericCore
import ComplexModule
import SpecBenchCore
import TestSupport

/// The row energies from autocorrelations (LipBound's engine) against the squared moduli of the
/// symbol summed tap by tap, on seeded random kernels of every shape kind.
@Suite("Symbol row energies from autocorrelations")
struct SymbolRowEnergiesTests {
    /// `Σ_j |K̂(ω)_{rj}|²` for every row at `(w1, w2)`, from the symbol summed tap by tap in
    /// float64 (`InfiniteGridNorm.symbol`, independent of the library's spectrum code).
    static func directEnergies(_ kernel: ConvolutionKernel, rowsAreOutputs: Bool, _ w1: Double, _ w2: Double) -> [Double] {
        let s = kernel.shape
        let symbol = InfiniteGridNorm.symbol(kernel, w1, w2)
        var energies = [Double](repeating: 0, count: rowsAreOutputs ? s.outputChannels : s.inputChannels)
        for o in 0..<s.outputChannels {
            for i in 0..<s.inputChannels {
                let entry = 2 * (o * s.inputChannels + i)
                energies[rowsAreOutputs ? o : i] += symbol[entry] * symbol[entry] + symbol[entry + 1] * symbol[entry + 1]
            }
        }
        return energies
    }

    /// 24 seeded shapes: odd, even, rectangular, 1×1, one-row and one-column kernels, tall and wide.
    static let cases: [(seed: UInt64, cout: Int, cin: Int, kh: Int, kw: Int)] = (0..<24).map { index in
        var generator = SeededGenerator(seed: UInt64(index), stream: "row-energy-shapes")
        return (UInt64(4100 + index), 1 + Int(generator.next() % 6), 1 + Int(generator.next() % 6),
                1 + Int(generator.next() % 5), 1 + Int(generator.next() % 5))
    }

    @Test("row maxima and the largest total equal the symbol's, on an irregular grid, both row sides", arguments: 0..<24)
    func maximaEqualTheSymbols(_ index: Int) {
        let c = Self.cases[index]
        let kernel = Fixtures.kernel(c.cout, c.cin, c.kh, c.kw, seed: c.seed)
        var generator = SeededGenerator(seed: c.seed, stream: "angles")
        let rowAngles = (0..<7).map { _ in Double(generator.next() % 10_000) / 10_000 * 2 * Double.pi }
        let columnAngles = (0..<5).map { _ in Double(generator.next() % 10_000) / 10_000 * 2 * Double.pi }
        for rowsAreOutputs in [true, false] {
            var rowMaxima: [Double] = []
            var largestTotal = 0.0
            for w1 in rowAngles {
                for w2 in columnAngles {
                    let energies = Self.directEnergies(kernel, rowsAreOutputs: rowsAreOutputs, w1, w2)
                    if rowMaxima.isEmpty { rowMaxima = energies }
                    rowMaxima = zip(rowMaxima, energies).map { max($0, $1) }
                    largestTotal = max(largestTotal, energies.reduce(0, +))
                }
            }
            let energies = SymbolRowEnergies(kernel: kernel, rowsAreOutputs: rowsAreOutputs)
            let maxima = energies.maxima(rowAngles: rowAngles, columnAngles: columnAngles, in: Double.self)
            #expect(maxima.rows.count == rowMaxima.count)
            for (computed, direct) in zip(maxima.rows, rowMaxima) {
                #expect(abs(computed - direct) <= 1e-12 * direct, "\(c), rows are outputs: \(rowsAreOutputs): \(computed) vs \(direct)")
            }
            #expect(abs(maxima.total - largestTotal) <= 1e-12 * largestTotal, "\(maxima.total) vs \(largestTotal)")
            let single = energies.maxima(rowAngles: rowAngles, columnAngles: columnAngles, in: Float.self)
            #expect(abs(Double(single.total) - largestTotal) <= 1e-5 * largestTotal, "float32 \(single.total) vs \(largestTotal)")
        }
    }

    @Test("grids of many chunks give the maxima of the symbol's own engine (KernelSpectrum)", arguments: [true, false])
    func severalChunks(_ rowsAreOutputs: Bool) {
        // 40 × 30 channels on a 120 × 120 grid: 14,400 frequencies in about 24 chunks of 256 KiB.
        let kernel = Fixtures.kernel(40, 30, 3, 3, seed: 4200)
        let axis = (0..<120).map { 2 * Double.pi * Double($0) / 119 }
        let frequencies = axis.flatMap { rows in axis.map { FrequencyAngle(rows: rows, columns: $0) } }
        var rowMaxima = [Double](repeating: 0, count: rowsAreOutputs ? 40 : 30)
        var largestTotal = 0.0
        KernelSpectrum(kernel: kernel).forEachChunk(of: frequencies) { _, count, matrices in
            for f in 0..<count {
                var energies = [Double](repeating: 0, count: rowMaxima.count)
                for o in 0..<40 {
                    for i in 0..<30 {
                        let entry = matrices[f * 1200 + o * 30 + i]
                        energies[rowsAreOutputs ? o : i] += entry.real * entry.real + entry.imaginary * entry.imaginary
                    }
                }
                rowMaxima = zip(rowMaxima, energies).map { max($0, $1) }
                largestTotal = max(largestTotal, energies.reduce(0, +))
            }
        }
        let maxima = SymbolRowEnergies(kernel: kernel, rowsAreOutputs: rowsAreOutputs).maxima(rowAngles: axis, columnAngles: axis, in: Double.self)
        for (computed, expected) in zip(maxima.rows, rowMaxima) {
            #expect(abs(computed - expected) <= 1e-12 * expected, "\(computed) vs \(expected)")
        }
        #expect(abs(maxima.total - largestTotal) <= 1e-12 * largestTotal, "\(maxima.total) vs \(largestTotal)")
    }

    @Test("the half-plane lags with their negatives are every difference of two taps", arguments: [(1, 1), (3, 3), (2, 5), (4, 1)])
    func lagsCoverEveryDifference(_ kh: Int, _ kw: Int) {
        let lags = SymbolRowEnergies.lags(height: kh, width: kw)
        var seen = Set<[Int]>()
        for lag in lags {
            seen.insert([lag.rows, lag.columns])
            seen.insert([-lag.rows, -lag.columns])
        }
        var differences = Set<[Int]>()
        for y in 0..<kh { for x in 0..<kw { for y2 in 0..<kh { for x2 in 0..<kw { differences.insert([y - y2, x - x2]) } } } }
        #expect(seen == differences)
        #expect(lags.count == ((2 * kh - 1) * (2 * kw - 1) + 1) / 2)
        #expect(lags[0].rows == 0 && lags[0].columns == 0)
    }
}
