import NumericCore
import SpecBenchCore
import SpecBenchResults
import SpecBenchMethods

/// One comparison figure in the style of the papers' figures: three panels (time, peak memory,
/// signed relative error) against one axis (input size n, or channel count) with every other
/// parameter fixed, one line per method and precision (float32 dashed, in the method's color).
public struct FigurePlan: Sendable, Equatable {
    /// The x axis.
    public enum Axis: String, Sendable {
        /// Input side n at fixed channels.
        case inputSize = "n"
        /// Channel count at fixed n.
        case channels
        /// Named layers (a config's `layers`), in config order; x is the layer's position.
        case layer
        /// Many named layers (more than `GnuplotScript.numberedLayersAbove`): a heatmap of layers
        /// (rows, x of each point) by methods (columns), coloured by signed error, broken
        /// guarantees marked, beside one coloured by time (`HeatmapScript`), instead of lines
        /// through unrelated layers.
        case layerHeatmap = "heatmap"
    }

    /// File stem, e.g. `zero-vs-n-c16x16-k3-s1`.
    public var name: String
    /// Title line.
    public var title: String
    /// The x axis.
    public var axis: Axis
    /// x-axis label.
    public var axisLabel: String
    /// The padding of every point.
    public var padding: Padding
    /// One series per method and precision, in catalog order, float64 first.
    public var series: [FigureSeries]
    /// For the `layer` axis: the layer names, indexed by x.
    public var categories: [String] = []
    /// What the figure shows: estimates (time, memory, signed error), or clips (time, the
    /// layer's change, `σ_after/c − 1`; docs/clipping.md).
    public var kind: Kind = .estimate

    /// What a figure shows.
    public enum Kind: String, Sendable {
        /// Estimates of σ.
        case estimate
        /// Clips to a target.
        case clip
    }
}

/// One method's line in a figure, in one precision.
public struct FigureSeries: Sendable, Equatable {
    /// Method id.
    public var method: String
    /// The precision the method computed in.
    public var precision: Precision = .float64
    /// Whether the figure shows more than one precision (then titles name the precision).
    public var mixedPrecisions = false

    /// The legend title: the method id, with the precision when the figure mixes precisions.
    public var title: String { mixedPrecisions ? "\(method) (\(precision.rawValue))" : method }
    /// Points in increasing x.
    public var points: [FigurePoint]
}

/// One measured point of a series: exactly the numbers of one result record.
public struct FigurePoint: Sendable, Equatable {
    /// x value (n or channels).
    public var x: Int
    /// The sweep point's id.
    public var point: String
    /// Median seconds, when the method ran.
    public var seconds: Double?
    /// Peak bytes, when measured.
    public var peakBytes: Int?
    /// Signed relative error, when a reference ran.
    public var relativeError: Double?
    /// Whether a claimed guarantee held.
    public var guaranteeHeld: Bool?
    /// A clip's relative Frobenius change of the layer (`frobeniusChange`); nil for estimates.
    public var layerChange: Double? = nil
    /// How the method's run ended.
    public var status: MethodStatus
    /// The result's cost model at the run's calibrated peak rates over its median time
    /// (docs/performance.md), when the run calibrated peaks and the method ran.
    public var fractionOfPeak: Double? = nil
    /// The same operations at the CPU's nominal peak (`NominalPeak`) over the median time, when
    /// the run measured it.
    public var fractionOfNominalPeak: Double? = nil
}

/// Groups a run's records into figures: against n for every (padding, stride, kernel, channels)
/// with at least two n; against channels, along cin = cout and at each fixed cin, for every
/// (padding, stride, kernel, n) with at least two channel counts; and one figure per padding
/// across a config's named layers.
public enum FigurePlanner {
    /// What, besides the kernel and input sizes, sets operators apart: strides, pads, dilation,
    /// groups, transposition and dimensions (the stride first, as the figures' names order it).
    static func generalKey(_ o: OperatorDescription) -> [Int] {
        [o.stride.height, o.stride.width] + o.pads.values
            + [o.dilation.height, o.dilation.width, o.groups, o.outputPadding?.height ?? -1, o.outputPadding?.width ?? -1, o.dimensions]
    }

    /// The figures of `records`, in a stable order: the estimates', then, for every target and
    /// scope of the run's clips, the same figures of the clips (named `clip-c<target>-…`).
    /// In a run measured on several machines (`machines` mixed), a figure whose points span
    /// machines is drawn once per machine (`NAME-m1`, `NAME-m2`, titled with the machine), so that
    /// no line joins times from two machines, and each point's fraction of peak uses its own
    /// machine's rates.
    public static func plans(_ records: [SweepRecord], peaks: MachinePeaks? = nil, machines: RunMachines? = nil) -> [FigurePlan] {
        let plans = plans(records, peaks: peaks, peaksOfPoint: { point in machines?.peaks(ofPoint: point) ?? peaks })
        guard let machines, machines.isMixed else { return plans }
        return plans.flatMap { split($0, by: machines) }
    }

    /// `plan` as one figure per machine its points were measured on, each titled with it.
    static func split(_ plan: FigurePlan, by machines: RunMachines) -> [FigurePlan] {
        let labels = machines.machines.map(\.label).filter { label in
            plan.series.contains { $0.points.contains { machines.machine(ofPoint: $0.point).label == label } }
        }
        return labels.map { label in
            var part = plan
            let machine = machines.machines.first { $0.label == label }!
            part.series = plan.series.compactMap { series in
                var series = series
                series.points = series.points.filter { machines.machine(ofPoint: $0.point).label == label }
                return series.points.isEmpty ? nil : series
            }
            if labels.count > 1 { part.name += "-" + label.lowercased() }
            part.title += " · measured on \(label): \(machine.description)"
            return part
        }
    }

    private static func plans(_ records: [SweepRecord], peaks: MachinePeaks?, peaksOfPoint: @escaping (String) -> MachinePeaks?) -> [FigurePlan] {
        let clips = records.filter { $0.result.task == MethodResult.clipTask }
        // A figure of the reference alone (a run of clips only) says nothing its clip figures do not.
        var plans = estimatePlans(records.filter { $0.result.task == nil }, peaks: peaks, peaksOfPoint: peaksOfPoint)
            .filter { plan in plan.series.contains { $0.method != ReferenceMethod.id } }
        var groups: [(target: Double, scope: ClipScope)] = []
        for record in clips {
            let key = (record.result.target ?? .nan, record.result.clipScope ?? .composition)
            if !groups.contains(where: { $0.target == key.0 && $0.scope == key.1 }) { groups.append(key) }
        }
        for (target, scope) in groups {
            let group = clips.filter { $0.result.target == target && ($0.result.clipScope ?? .composition) == scope }
            let prefix = "clip-c\(ResultFormatting.shortNumber(target))" + (scope == .composition ? "" : "-\(scope.rawValue)")
            plans += estimatePlans(group, peaks: nil).map { plan in
                var plan = plan
                plan.kind = .clip
                plan.name = prefix + "-" + plan.name
                plan.title = "clip to c = \(ResultFormatting.shortNumber(target))" + (scope == .composition ? "" : " (convolution alone)") + " · " + plan.title
                return plan
            }
        }
        return plans
    }

    /// The figures of estimate records (or of one target's clips), in a stable order.
    /// With `peaks`, every point gains its fraction of peak at `peaksOfPoint`'s rates (the run's
    /// by default).
    static func estimatePlans(_ records: [SweepRecord], peaks: MachinePeaks?, peaksOfPoint: ((String) -> MachinePeaks?)? = nil) -> [FigurePlan] {
        let peaksOfPoint = peaksOfPoint ?? { _ in peaks }
        let methods = runOrder(records)
        var plans: [FigurePlan] = []
        for padding in Padding.allCases {
            let ofPadding = records.filter { $0.operator.padding == padding }
            // Against n.
            let byShape = Dictionary(grouping: ofPadding.filter { $0.label == nil }) { r in
                [r.operator.kh, r.operator.kw, r.operator.cout, r.operator.cin] + generalKey(r.operator)
                    + [r.operator.inputHeight == r.operator.inputWidth ? -1 : r.operator.inputHeight]
            }
            for key in byShape.keys.sorted(by: lexicographic) {
                let group = byShape[key]!
                guard Set(group.map(\.operator.inputSize)).count >= 2 else { continue }
                let o = group[0].operator
                plans.append(FigurePlan(
                    name: "\(padding.rawValue)-vs-n-c\(o.cout)x\(o.cin)-k\(kernelLabel(o))-s\(o.stride)" + padSuffix(o),
                    title: "\(padding.rawValue) padding · cout × cin = \(o.cout) × \(o.cin) · k = \(kernelLabel(o)) · stride \(o.stride)" + padTitle(o),
                    axis: .inputSize, axisLabel: "input size n", padding: padding,
                    series: series(group, methods: methods, x: \.operator.inputSize)))
            }
            // Against channels: along the diagonal cin = cout, and at each fixed cin.
            let bySize = Dictionary(grouping: ofPadding.filter { $0.label == nil }) { r in
                [r.operator.kh, r.operator.kw, r.operator.inputHeight, r.operator.inputWidth] + generalKey(r.operator)
            }
            for key in bySize.keys.sorted(by: lexicographic) {
                let group = bySize[key]!
                let diagonal = group.filter { $0.operator.cin == $0.operator.cout }
                var selections: [(records: [SweepRecord], cin: Int?)] = [(diagonal, nil)]
                for cin in Set(group.map(\.operator.cin)).sorted() {
                    selections.append((group.filter { $0.operator.cin == cin }, cin))
                }
                for (selection, cin) in selections where Set(selection.map(\.operator.cout)).count >= 2 {
                    let o = selection[0].operator
                    plans.append(FigurePlan(
                        name: "\(padding.rawValue)-vs-channels-n\(o.inputSize)" + (cin.map { "-cin\($0)" } ?? "") + "-k\(kernelLabel(o))-s\(o.stride)" + padSuffix(o),
                        title: "\(padding.rawValue) padding · n = \(o.inputSize)" + (cin.map { " · cin = \($0)" } ?? "") + " · k = \(kernelLabel(o)) · stride \(o.stride)" + padTitle(o),
                        axis: .channels, axisLabel: cin == nil ? "channels (cout = cin)" : "output channels cout", padding: padding,
                        series: series(selection, methods: methods, x: \.operator.cout)))
                }
            }
            // Per layer, for configs that name their points.
            let layers = ofPadding.filter { $0.label != nil }
            var names: [String] = []
            for record in layers.sorted(by: { $0.pointIndex < $1.pointIndex }) where !names.contains(record.label!) {
                names.append(record.label!)
            }
            if names.count >= 2 {
                let heatmap = names.count > GnuplotScript.numberedLayersAbove
                var plan = FigurePlan(
                    name: "\(padding.rawValue)-per-layer" + (heatmap ? "-heatmap" : ""), title: "\(padding.rawValue) padding · per layer",
                    axis: heatmap ? .layerHeatmap : .layer, axisLabel: "layer", padding: padding, series: [])
                plan.categories = names
                plan.series = series(layers, methods: methods) { names.firstIndex(of: $0.label!)! }
                plans.append(plan)
            }
        }
        guard peaks != nil else { return plans }
        // The fraction of the machine's peak of every point, for the optional peak figures.
        let byKey = Dictionary(records.map { ("\($0.point)|\($0.result.method)|\($0.result.precision.rawValue)", $0.result) },
                               uniquingKeysWith: { first, _ in first })
        return plans.map { plan in
            var plan = plan
            plan.series = plan.series.map { series in
                var series = series
                series.points = series.points.map { point in
                    var point = point
                    if let result = byKey["\(point.point)|\(series.method)|\(series.precision.rawValue)"], result.status == .ok,
                       let operations = result.operations, let seconds = result.seconds, let peaks = peaksOfPoint(point.point) {
                        point.fractionOfPeak = peaks.fractionOfPeak(operations, seconds: seconds, precision: result.precision)
                        point.fractionOfNominalPeak = peaks.fractionOfNominalPeak(operations, seconds: seconds, precision: result.precision)
                    }
                    return point
                }
                return series
            }
            return plan
        }
    }

    /// Method ids in catalog order (then any others), as they appear in `records`.
    static func methodOrder(_ records: [SweepRecord]) -> [String] {
        var seen: [String] = []
        for record in records where !seen.contains(record.result.method) { seen.append(record.result.method) }
        return seen
    }

    /// The precisions in `records`, float64 first.
    static func precisions(_ records: [SweepRecord]) -> [Precision] {
        Set(records.map(\.result.precision)).sorted()
    }

    /// (method, precision) pairs in method order, each method's precisions float64 first.
    static func runOrder(_ records: [SweepRecord]) -> [(method: String, precision: Precision)] {
        // By method and precision (a clip's run key also names its target, which its figure fixes).
        let present = Set(records.map { MethodResult.runKey(method: $0.result.method, precision: $0.result.precision) })
        return methodOrder(records).flatMap { method in
            precisions(records).filter { present.contains(MethodResult.runKey(method: method, precision: $0)) }.map { (method, $0) }
        }
    }

    private static func series(
        _ group: [SweepRecord], methods: [(method: String, precision: Precision)], x: KeyPath<SweepRecord, Int>
    ) -> [FigureSeries] {
        series(group, methods: methods) { $0[keyPath: x] }
    }

    private static func series(
        _ group: [SweepRecord], methods: [(method: String, precision: Precision)], x: (SweepRecord) -> Int
    ) -> [FigureSeries] {
        let mixed = Set(methods.map(\.precision)).count > 1
        return methods.compactMap { run in
            let points = group.filter { $0.result.method == run.method && $0.result.precision == run.precision }
                .sorted { x($0) < x($1) }.map { record in
                    FigurePoint(x: x(record), point: record.point, seconds: record.result.seconds,
                                peakBytes: record.result.peakBytes, relativeError: record.result.relativeError,
                                guaranteeHeld: record.result.guaranteeHeld, layerChange: record.result.frobeniusChange,
                                status: record.result.status)
                }
            return points.isEmpty ? nil
                : FigureSeries(method: run.method, precision: run.precision, mixedPrecisions: mixed, points: points)
        }
    }

    private static func kernelLabel(_ o: OperatorDescription) -> String { o.kh == o.kw ? "\(o.kh)" : "\(o.kh)x\(o.kw)" }
    /// The name suffix of what sets a figure's operators apart beyond kernel, channels, input
    /// and stride: pads other than the default, dilation, groups, transposition, 1-D, the rows
    /// of a rectangular input.
    private static func padSuffix(_ o: OperatorDescription) -> String { extras(o).map { "-" + $0.name }.joined() }
    private static func padTitle(_ o: OperatorDescription) -> String { extras(o).map { " · " + $0.title }.joined() }
    private static func extras(_ o: OperatorDescription) -> [(name: String, title: String)] {
        func pair(_ value: AxisPair) -> String { value.isUniform ? "\(value.height)" : "\(value.height)x\(value.width)" }
        var parts: [(String, String)] = []
        let defaultPads = Pads(height: o.dilation.height * (o.kh / 2), width: o.dilation.width * (o.kw / 2))
        if o.pads != defaultPads {
            parts.append(o.pads.isSymmetric && o.pads.top == o.pads.left
                ? ("p\(o.pads.top)", "pad \(o.pads.top)")
                : ("p" + o.pads.values.map(String.init).joined(separator: "x"), "pads \(o.pads)"))
        }
        if o.dilation != .one { parts.append(("d\(pair(o.dilation))", "dilation \(o.dilation)")) }
        if o.groups != 1 { parts.append(("g\(o.groups)", "groups \(o.groups)")) }
        if let op = o.outputPadding { parts.append(("t\(pair(op))", "transposed (output padding \(op))")) }
        if o.dimensions == 1 { parts.append(("1d", "1-D")) }
        if o.inputHeight != o.inputWidth { parts.append(("h\(o.inputHeight)", "H = \(o.inputHeight)")) }
        return parts
    }

    private static func lexicographic(_ a: [Int], _ b: [Int]) -> Bool { a.lexicographicallyPrecedes(b) }
}
