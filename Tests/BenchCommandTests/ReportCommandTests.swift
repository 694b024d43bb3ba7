import Foundation
import Testing
import SpecBenchHarness
import SpecBenchResults
import TestSupport

/// `bench report`: the data behind each figure and each table row equals the results it came from.
@Suite("bench report")
struct ReportCommandTests {
    /// Runs the small sweep once and reports it.
    static func reportedRun(environment: [String: String] = [:]) throws -> (run: URL, plots: URL, records: [SweepRecord], output: BenchProcess.Output) {
        let (config, folder) = SweepFixture.config(SweepFixture.smallGrid + "\npaperValues:\n  - source: made-up notebook\n    cout: 3\n    cin: 2\n    kernelSize: 3\n    inputSize: 6\n    padding: circular\n    stride: 1\n    relativeErrors: {lipbound: 3.29, gram-circular: 0.00031}\n")
        let run = folder.appendingPathComponent("run")
        let sweep = try SweepFixture.sweep(config, output: run)
        precondition(sweep.status == 0, sweep.stderr)
        let plots = folder.appendingPathComponent("plots")
        let output = try BenchProcess.run(["report", run.path, "--plots", plots.path], environment: environment)
        return (run, plots.appendingPathComponent("small"), try SweepFixture.records(run), output)
    }

    @Test("every figure's data rows are the records' own numbers, and every figure is rendered")
    func figureData() throws {
        let (_, plots, records, output) = try Self.reportedRun()
        #expect(output.status == 0, "\(output.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: plots.path)
        let dataFiles = files.filter { $0.hasSuffix(".dat") }
        // Against n for each (padding, stride, k) and against channels: none here (one channel count).
        #expect(dataFiles.count == 2 * 2 * 2)
        var rowsChecked = 0
        for file in dataFiles {
            let stem = String(file.dropLast(4))
            #expect(files.contains(stem + ".gp") && files.contains(stem + ".png") && files.contains(stem + ".svg"), "\(stem)")
            let png = try Data(contentsOf: plots.appendingPathComponent(stem + ".png"))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 20_000, "\(stem).png is a real image")
            let blocks = FigureDataFile.parse(try String(contentsOf: plots.appendingPathComponent(file), encoding: .utf8))
            #expect(blocks.count == methodCount, "one block per method in \(file)")
            for block in blocks {
                for row in block.rows {
                    let record = try #require(records.first { $0.point == row[5] && $0.result.method == block.method }, "\(row)")
                    #expect(Int(row[0]) == record.operator.inputSize)
                    #expect(Double(row[1]) == record.result.seconds)
                    #expect(Double(row[2]).map { abs($0 * 1_048_576 - Double(record.result.peakBytes ?? -1)) < 1e-6 } == true)
                    if let error = record.result.relativeError {
                        #expect(Double(row[3]).map { abs($0 / 100 - error) <= 1e-15 * max(1, abs(error)) } == true)
                    } else {
                        #expect(row[3] == "NaN")
                    }
                    #expect(row[4] == (record.result.guaranteeHeld.map { $0 ? "1" : "0" } ?? "NaN"))
                    #expect(row[6] == record.result.status.rawValue)
                    rowsChecked += 1
                }
            }
        }
        // Each figure holds the 2 input sizes of each method: 8 figures × every method × 2 points.
        #expect(rowsChecked == 8 * methodCount * 2)
    }

    @Test("--peak-figures adds a fraction-of-peak figure per figure: column 8 each record's cost model at the calibrated rates over its time, column 9 its operations at the nominal peak, drawn side by side")
    func peakFigures() throws {
        let (run, plots, records, _) = try Self.reportedRun()
        let output = try BenchProcess.run(["report", run.path, "--plots", plots.deletingLastPathComponent().path, "--peak-figures"])
        #expect(output.status == 0, "\(output.stderr)")
        let manifest = try RunDirectory.readManifest(run.appendingPathComponent("manifest.json"))
        let peaks = try #require(manifest.calibration?.peaks)
        let files = try FileManager.default.contentsOfDirectory(atPath: plots.path)
        let stems = files.filter { $0.hasSuffix(".dat") }.map { String($0.dropLast(4)) }
        #expect(!stems.isEmpty)
        let nominal = try #require(peaks.nominal, "this CPU's nominal peak was measured")
        #expect(nominal.float64 > 1e9 && nominal.float32 == 2 * nominal.float64)
        var checked = 0
        for stem in stems {
            #expect(files.contains(stem + "-peak.gp") && files.contains(stem + "-peak.png"), "\(stem)")
            let script = try String(contentsOf: plots.appendingPathComponent(stem + "-peak.gp"), encoding: .utf8)
            #expect(script.contains("set multiplot layout 1,2") && script.contains("column(9)") && script.contains("column(8)"))
            let blocks = FigureDataFile.parse(try String(contentsOf: plots.appendingPathComponent(stem + ".dat"), encoding: .utf8))
            for block in blocks {
                for row in block.rows {
                    let record = try #require(records.first { $0.point == row[5] && $0.result.method == block.method })
                    guard record.result.status == .ok, let operations = record.result.operations, let seconds = record.result.seconds,
                          let fraction = peaks.fractionOfPeak(operations, seconds: seconds, precision: record.result.precision)
                    else {
                        #expect(row[7] == "NaN")
                        continue
                    }
                    #expect(Double(row[7]).map { abs($0 / 100 - fraction) <= 1e-12 * fraction } == true, "\(row)")
                    let machine = operations.total / nominal.rate(float32: record.result.precision == .float32) / seconds
                    #expect(Double(row[8]).map { abs($0 / 100 - machine) <= 1e-12 * machine } == true, "\(row)")
                    checked += 1
                }
            }
        }
        #expect(checked > 0)
    }

    @Test("every table row shows the records' values, marks the best bound and the fastest, and shows published numbers")
    func tableRows() throws {
        let (run, _, records, output) = try Self.reportedRun()
        #expect(output.status == 0)
        let markdown = try String(contentsOf: run.appendingPathComponent("tables.md"), encoding: .utf8)
        let sections = markdown.components(separatedBy: "\n### ").dropFirst()
        #expect(sections.count == Set(records.map(\.point)).count)
        for section in sections {
            let lines = section.split(separator: "\n").map(String.init)
            let header = lines.first { $0.hasPrefix("| |") }!.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.dropFirst()
            let methods = header.map { $0.replacingOccurrences(of: " ★", with: "").replacingOccurrences(of: " †", with: "") }
            let valueRow = lines.first { $0.hasPrefix("| value |") }!.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.dropFirst(1)
            let group = records.filter { record in
                let o = record.operator
                return lines[0] == "\(o.cout)×\(o.cin)×\(o.kh)×\(o.kw) · n = \(o.inputSize) · \(o.padding.rawValue) · stride \(o.stride)"
            }
            #expect(group.count == methodCount, "section \(lines[0]) matches one point")
            for (method, cell) in zip(methods, valueRow) {
                let record = try #require(group.first { $0.result.method == method })
                if let value = record.result.value {
                    #expect(Double(cell).map { abs($0 - value) <= 1e-9 * value } == true, "\(method): \(cell) vs \(value)")
                } else {
                    #expect(cell == record.result.status.rawValue)
                }
            }
            // ★ goes to the smallest upper bound that held; † to the smallest median time.
            let bounds = group.filter { $0.result.guarantee == .upper && $0.result.guaranteeHeld == true }
            if let best = bounds.min(by: { $0.result.value! < $1.result.value! }) {
                #expect(header.contains { $0.hasPrefix(best.result.method) && $0.contains("★") })
            }
            let timed = group.filter { $0.result.method != "reference" && $0.result.status == .ok }
            let fastest = timed.min { $0.result.seconds! < $1.result.seconds! }!
            #expect(header.contains { $0.hasPrefix(fastest.result.method) && $0.contains("†") })
            // The fraction of peak: a percentage "of" an operation count for every result that ran.
            let fractionRow = try #require(lines.first { $0.hasPrefix("| fraction of peak |") })
            let fractions = fractionRow.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.dropFirst(2)
            for (method, cell) in zip(methods, fractions) where group.first(where: { $0.result.method == method })?.result.status == .ok {
                #expect(cell.contains("% of ") && cell.contains("FLOP"), "\(method): \(cell)")
            }
            let nominalRow = try #require(lines.first { $0.hasPrefix("| fraction of nominal peak |") })
            let nominalCells = nominalRow.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.dropFirst(2)
            for (method, cell) in zip(methods, nominalCells) where group.first(where: { $0.result.method == method })?.result.status == .ok {
                #expect(cell.hasSuffix(" %"), "\(method): \(cell)")
            }
        }
        #expect(markdown.contains("| published rel. error (made-up notebook) |"))
        #expect(markdown.contains("+329%"))
        let latex = try String(contentsOf: run.appendingPathComponent("tables.tex"), encoding: .utf8)
        #expect(latex.contains("\\toprule") && latex.contains("\\bottomrule") && latex.contains("\\texttt{tn-bound}"))
    }

    @Test("named layers get one per-layer figure whose rows are the layers' records, in config order")
    func perLayerFigure() throws {
        let (config, folder) = SweepFixture.config("""
            name: layers
            layers:
              - {name: stem, cout: 4, cin: 2, kernelSize: 3, inputSize: 6, stride: 2}
              - {name: shortcut, cout: 4, cin: 2, kernelSize: 1, inputSize: 6, stride: 2, pad: 0}
              - {name: body, cout: 4, cin: 4, kernelSize: 3, inputSize: 4}
            methods: [sedghi, tn-bound]
            repetitions: 1
            warmup: 0
            """)
        let run = folder.appendingPathComponent("run")
        #expect(try SweepFixture.sweep(config, output: run).status == 0)
        let plots = folder.appendingPathComponent("plots")
        #expect(try BenchProcess.run(["report", run.path, "--plots", plots.path]).status == 0)
        let records = try SweepFixture.records(run)
        let text = try String(contentsOf: plots.appendingPathComponent("layers/zero-per-layer.dat"), encoding: .utf8)
        let blocks = FigureDataFile.parse(text)
        #expect(blocks.map(\.method) == ["reference", "sedghi", "tn-bound"])
        for block in blocks {
            #expect(block.rows.count == 3)
            for (index, row) in block.rows.enumerated() {
                let record = try #require(records.first { $0.point == row[5] && $0.result.method == block.method })
                #expect(Int(row[0]) == index)
                #expect(record.label == ["stem", "shortcut", "body"][index])
                #expect(Double(row[1]) == record.result.seconds)
            }
        }
        let script = try String(contentsOf: plots.appendingPathComponent("layers/zero-per-layer.gp"), encoding: .utf8)
        #expect(script.contains("\"stem\" 0") && script.contains("\"body\" 2"))
    }

    @Test("without gnuplot the report says how to install it and still writes the tables")
    func missingGnuplot() throws {
        let (run, plots, _, output) = try Self.reportedRun(environment: ["PATH": "/nonexistent"])
        #expect(output.status == 0)
        #expect(output.stderr.contains("gnuplot") && output.stderr.contains("apt-get install gnuplot-nox"), "\(output.stderr)")
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("tables.md").path))
        let files = try FileManager.default.contentsOfDirectory(atPath: plots.path)
        #expect(files.contains { $0.hasSuffix(".gp") } && !files.contains { $0.hasSuffix(".png") })
    }
}

/// Reading figure data files back (the format of `FigureData`).
enum FigureDataFile {
    static func parse(_ text: String) -> [(method: String, rows: [[String]])] {
        var blocks: [(method: String, rows: [[String]])] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# method: ") {
                blocks.append((String(line.dropFirst("# method: ".count)), []))
            } else if !line.hasPrefix("#"), !blocks.isEmpty {
                blocks[blocks.count - 1].rows.append(line.split(separator: " ").map(String.init))
            }
        }
        return blocks
    }
}
