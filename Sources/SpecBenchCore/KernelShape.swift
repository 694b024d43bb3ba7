import Foundation

/// The shape `(cout, cin, kh, kw)` of a convolution kernel, PyTorch layout (docs/methods.md §1).
public struct KernelShape: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Output channels.
    public var outputChannels: Int
    /// Input channels.
    public var inputChannels: Int
    /// Kernel height (taps along rows).
    public var height: Int
    /// Kernel width (taps along columns).
    public var width: Int

    /// A shape; every side must be ≥ 1 (checked by `validated()`).
    public init(outputChannels: Int, inputChannels: Int, height: Int, width: Int) {
        self.outputChannels = outputChannels
        self.inputChannels = inputChannels
        self.height = height
        self.width = width
    }

    /// Number of kernel entries `cout·cin·kh·kw`.
    public var count: Int { outputChannels * inputChannels * height * width }
    /// Number of spatial taps `kh·kw`.
    public var taps: Int { height * width }

    public var description: String { "\(outputChannels)×\(inputChannels)×\(height)×\(width)" }

    /// Parses `COUT,CIN,KH,KW` (as given to `--random`), or `COUT,CIN,K` for a 1-D kernel (read
    /// as `kh = 1`; `parseDeclared` says which was given).
    public static func parse(_ text: String) throws -> KernelShape {
        try parseDeclared(text).shape
    }

    /// Parses `COUT,CIN,KH,KW` or `COUT,CIN,K`, returning the shape and its dimensions (2 or 1).
    public static func parseDeclared(_ text: String) throws -> (shape: KernelShape, dimensions: Int) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let numbers = parts.compactMap { Int($0) }
        guard parts.count == 4 || parts.count == 3, numbers.count == parts.count else {
            throw InvalidInput("invalid kernel shape '\(text)': expected four positive integers COUT,CIN,KH,KW (for example 16,16,3,3), or three, COUT,CIN,K, for a 1-D kernel")
        }
        let shape = numbers.count == 3
            ? KernelShape(outputChannels: numbers[0], inputChannels: numbers[1], height: 1, width: numbers[2])
            : KernelShape(outputChannels: numbers[0], inputChannels: numbers[1], height: numbers[2], width: numbers[3])
        return (try shape.validated(), numbers.count == 3 ? 1 : 2)
    }

    /// The shape itself when every side is ≥ 1, else an `InvalidInput` naming the bad side.
    public func validated() throws -> KernelShape {
        let sides = [("cout", outputChannels), ("cin", inputChannels), ("kh", height), ("kw", width)]
        for (name, value) in sides where value < 1 {
            throw InvalidInput("invalid kernel shape \(description): \(name) = \(value); every side must be a positive integer")
        }
        // Overflow-checked: COUT·CIN·KH·KW must not wrap before it is compared with the limit.
        let limit = 1 << 31
        var entries = 1
        for (_, value) in sides {
            let (product, overflow) = entries.multipliedReportingOverflow(by: value)
            guard !overflow, product <= limit else {
                throw InvalidInput("invalid kernel shape \(description): more than the supported 2^31 entries")
            }
            entries = product
        }
        return self
    }
}
