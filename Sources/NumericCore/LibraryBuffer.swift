#if canImport(Glibc)
import Glibc
#endif

/// Memory for a matrix handed to LAPACK: the elements, 64-byte aligned, followed by zeroed
/// slack of one leading-dimension column plus 64 bytes.
///
/// Why the slack (docs/fidelity.md, "Known library defect"): Debian bookworm's OpenBLAS 0.3.21 reads
/// past the end of a correctly sized matrix in its `zgemv_n` kernel (HASWELL/ZEN), reached from
/// `zgesdd → zgebrd → zgebd2/zlabrd → zlarf/zgemv` (upstream OpenMathLib/OpenBLAS#5000). Measured
/// here with the matrix's end placed against a `PROT_NONE` page: 3,024 of 3,249 shapes up to
/// 160×160 fault; the reach is `min(m, n) − 2` complex elements, i.e. nearly one column, so a
/// fixed pad is not enough (64 bytes still faults on 2,598 shapes, a page on 512-channel
/// blocks); one column + 64 bytes faults on none, up to 2048×512. When an allocation ends at a
/// page boundary (large blocks get their own `mmap`) the over-read is a SIGSEGV, which is how
/// `sedghi` and the `fft-block-svd` reference died at 128 channels.
///
/// Every LAPACK wrapper of `LAPACK` takes its matrix (and `zgesdd` its workspaces) from this
/// type, so the rule lives in one place. The unsafe pointer never leaves `NumericCore`; outside
/// it the buffer is filled and read through a bounds-checked subscript. Memory:
/// `count + leadingDimension` elements + 64 bytes.
public final class LibraryBuffer<Element: BitwiseCopyable> {
    /// Bytes past the slack column that are also kept readable and zero.
    public static var extraSlackBytes: Int { 64 }

    /// Number of elements (the slack is not counted).
    public let count: Int
    /// Elements of slack after the last element.
    public let slackCount: Int
    private let storage: UnsafeMutableRawPointer
    private let byteCount: Int
    /// The whole mapping (guard page included) when placed against a guard page.
    private let mapping: (base: UnsafeMutableRawPointer, length: Int)?

    /// Zero-filled storage for `count` elements, with slack for a matrix whose leading dimension
    /// (distance between consecutive columns of a column-major matrix, in elements) is
    /// `leadingDimension`. O(count).
    public init(count: Int, leadingDimension: Int) {
        precondition(count >= 0 && leadingDimension >= 0, "LibraryBuffer: negative size")
        let stride = MemoryLayout<Element>.stride
        self.count = count
        slackCount = leadingDimension + (Self.extraSlackBytes + stride - 1) / stride
        let (elements, overflow) = (count + slackCount).multipliedReportingOverflow(by: stride)
        precondition(!overflow, "LibraryBuffer: size overflows")
        byteCount = max(elements, 1)
        if LibraryMemory.placeAgainstGuardPage, let placed = LibraryMemory.mapAgainstGuardPage(byteCount: byteCount) {
            storage = placed.start
            mapping = (placed.base, placed.length)
        } else {
            storage = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
            mapping = nil
        }
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
    }

    /// Storage holding a copy of `elements`, with slack for `leadingDimension`. O(count).
    public convenience init(copying elements: some Collection<Element>, leadingDimension: Int) {
        self.init(count: elements.count, leadingDimension: leadingDimension)
        let typed = storage.bindMemory(to: Element.self, capacity: count + slackCount)
        let copied: Void? = elements.withContiguousStorageIfAvailable { source in
            typed.update(from: source.baseAddress!, count: source.count)
        }
        if copied == nil {
            var index = 0
            for element in elements {
                typed[index] = element
                index += 1
            }
        }
    }

    deinit {
        if let mapping {
            munmap(mapping.base, mapping.length)
        } else {
            storage.deallocate()
        }
    }

    /// Element access, bounds-checked against `count`. O(1).
    public subscript(index: Int) -> Element {
        get {
            precondition(index >= 0 && index < count, "LibraryBuffer: index \(index) out of 0..<\(count)")
            return storage.load(fromByteOffset: index * MemoryLayout<Element>.stride, as: Element.self)
        }
        set {
            precondition(index >= 0 && index < count, "LibraryBuffer: index \(index) out of 0..<\(count)")
            storage.storeBytes(of: newValue, toByteOffset: index * MemoryLayout<Element>.stride, as: Element.self)
        }
    }

    /// A copy of the elements as an array. O(count).
    public var elements: [Element] {
        withUnsafeMutablePointer { pointer in Array(UnsafeBufferPointer(start: pointer, count: count)) }
    }

    /// Copies the elements over the first `count` entries of `array` (which must be that long). O(count).
    public func copy(into array: inout [Element]) {
        precondition(array.count >= count, "LibraryBuffer: destination too short")
        let count = self.count
        withUnsafeMutablePointer { source in
            array.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: source, count: count) }
        }
    }

    /// Adds `value` to the element at `index` (for assembling sums entry by entry). O(1).
    public func add(_ value: Element, at index: Int) where Element: AdditiveArithmetic {
        self[index] = self[index] + value
    }

    /// The base address, for the C calls of this module only.
    func withUnsafeMutablePointer<Result>(_ body: (UnsafeMutablePointer<Element>) throws -> Result) rethrows -> Result {
        try body(storage.assumingMemoryBound(to: Element.self))
    }

    /// The base address reinterpreted as another element type of the same total size, for the
    /// complex arguments of LAPACKE (interleaved doubles as `lapack_complex_double`).
    func withMemoryRebound<Other, Result>(to type: Other.Type, _ body: (UnsafeMutablePointer<Other>) throws -> Result) rethrows -> Result {
        try body(storage.assumingMemoryBound(to: Other.self))
    }

    /// Whether every slack byte is still zero (a test hook: the libraries read the slack, they
    /// must never write it).
    var slackIsUntouched: Bool {
        let start = count * MemoryLayout<Element>.stride
        for offset in start..<byteCount where storage.load(fromByteOffset: offset, as: UInt8.self) != 0 {
            return false
        }
        return true
    }
}

/// Allocation policy of `LibraryBuffer` that is not generic over the element.
public enum LibraryMemory {
    /// When true (tests only, per task), every `LibraryBuffer` is placed so that the last byte of
    /// its slack sits right before a `PROT_NONE` page: a library reading further than the slack
    /// faults at once instead of by chance.
    @TaskLocal public static var placeAgainstGuardPage = false

    /// Maps `byteCount` bytes ending right before an inaccessible page; nil if mapping fails.
    static func mapAgainstGuardPage(byteCount: Int) -> (start: UnsafeMutableRawPointer, base: UnsafeMutableRawPointer, length: Int)? {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let accessible = (byteCount + page - 1) / page * page
        let length = accessible + page
        guard let base = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              base != MAP_FAILED else { return nil }
        guard mprotect(base + accessible, page, PROT_NONE) == 0 else {
            munmap(base, length)
            return nil
        }
        return (base + accessible - byteCount, base, length)
    }
}
