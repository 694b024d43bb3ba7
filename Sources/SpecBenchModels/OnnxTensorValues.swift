import Foundation
import SpecBenchCore

/// The values of an ONNX `TensorProto` as float64: float32, float64, float16 and bfloat16, stored
/// raw (little-endian bytes) or in the typed fields; integer tensors (shapes, scales given as
/// integers) too. Weights in external files are refused. O(elements).
enum OnnxTensorValues {
    /// ONNX `TensorProto.DataType` codes used here.
    enum DataType: Int32 {
        case float = 1, uint8 = 2, int8 = 3, int32 = 6, int64 = 7, float16 = 10, double = 11, bfloat16 = 16

        /// Bytes per element when stored raw.
        var size: Int {
            switch self {
            case .float, .int32: return 4
            case .double, .int64: return 8
            case .float16, .bfloat16: return 2
            case .int8, .uint8: return 1
            }
        }
    }

    /// The tensor's values, row-major; throws `InvalidInput` naming the tensor when its type is
    /// not numeric, its data are external, or its byte length does not match its shape.
    static func values(of tensor: Onnx_TensorProto, path: String) throws -> [Double] {
        let name = tensor.name.isEmpty ? "(unnamed)" : tensor.name
        if tensor.dataLocation == .external {
            throw InvalidInput("'\(path)': tensor '\(name)' is stored in an external file; accepted: weights inside the .onnx file")
        }
        let count = try elementCount(of: tensor, name: name, path: path)
        guard let type = DataType(rawValue: tensor.dataType) else {
            throw InvalidInput("'\(path)': tensor '\(name)' has ONNX data type \(tensor.dataType); accepted: float32, float64, float16, bfloat16 and integers")
        }
        let values: [Double]
        if tensor.hasRawData {
            values = try decodeRaw(tensor.rawData, type: type, count: count, name: name, path: path)
        } else {
            switch type {
            case .float: values = tensor.floatData.map(Double.init)
            case .double: values = tensor.doubleData
            case .int64: values = tensor.int64Data.map(Double.init)
            case .int32, .int8, .uint8: values = tensor.int32Data.map(Double.init)
            case .float16: values = tensor.int32Data.map { Double(Float16(bitPattern: UInt16(truncatingIfNeeded: $0))) }
            case .bfloat16: values = tensor.int32Data.map { Double(Float(bitPattern: UInt32(UInt16(truncatingIfNeeded: $0)) << 16)) }
            }
        }
        guard values.count == count else {
            throw InvalidInput("'\(path)': tensor '\(name)' of shape \(tensor.dims) holds \(values.count) values, not \(count)")
        }
        return values
    }

    /// Checks, without decoding, that the tensor stores as many values as its shape needs:
    /// a damaged weight is refused when the model is listed, not only when a point loads it.
    static func checkLength(of tensor: Onnx_TensorProto, path: String) throws {
        let name = tensor.name.isEmpty ? "(unnamed)" : tensor.name
        // External and non-numeric weights are listed, and refused by name when loaded.
        guard tensor.dataLocation != .external, let type = DataType(rawValue: tensor.dataType) else { return }
        let count = try elementCount(of: tensor, name: name, path: path)
        let stored: Int
        if tensor.hasRawData {
            guard tensor.rawData.count == count * type.size else {
                throw InvalidInput("'\(path)': tensor '\(name)' needs \(count * type.size) bytes for its shape \(tensor.dims) but stores \(tensor.rawData.count)")
            }
            return
        } else {
            switch type {
            case .float: stored = tensor.floatData.count
            case .double: stored = tensor.doubleData.count
            case .int64: stored = tensor.int64Data.count
            case .int32, .int8, .uint8, .float16, .bfloat16: stored = tensor.int32Data.count
            }
        }
        guard stored == count else {
            throw InvalidInput("'\(path)': tensor '\(name)' of shape \(tensor.dims) needs \(count) values but stores \(stored)")
        }
    }

    /// The number of values `tensor`'s shape declares; throws naming the tensor when a dimension
    /// is negative or the product passes 2^34 (or overflows). O(dimensions).
    private static func elementCount(of tensor: Onnx_TensorProto, name: String, path: String) throws -> Int {
        var count = 1
        for dimension in tensor.dims {
            guard dimension >= 0 else { throw InvalidInput("'\(path)': tensor '\(name)' has a negative dimension in \(tensor.dims)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(dimension))
            guard !overflow, product <= 1 << 34 else {
                throw InvalidInput("'\(path)': tensor '\(name)' of shape \(tensor.dims) is too large; accepted: at most 2^34 values")
            }
            count = product
        }
        return count
    }

    private static func decodeRaw(_ data: Data, type: DataType, count: Int, name: String, path: String) throws -> [Double] {
        let size = type.size
        guard data.count == count * size else {
            throw InvalidInput("'\(path)': tensor '\(name)' needs \(count * size) bytes for its shape but stores \(data.count)")
        }
        let bytes = [UInt8](data)
        func word(_ index: Int, _ width: Int) -> UInt64 {
            var value: UInt64 = 0
            for byte in 0..<width { value |= UInt64(bytes[index * width + byte]) << (8 * UInt64(byte)) }
            return value
        }
        return (0..<count).map { index in
            switch type {
            case .float: return Double(Float(bitPattern: UInt32(word(index, 4))))
            case .double: return Double(bitPattern: word(index, 8))
            case .int32: return Double(Int32(bitPattern: UInt32(word(index, 4))))
            case .int64: return Double(Int64(bitPattern: word(index, 8)))
            case .float16: return Double(Float16(bitPattern: UInt16(word(index, 2))))
            case .bfloat16: return Double(Float(bitPattern: UInt32(word(index, 2)) << 16))
            case .int8: return Double(Int8(bitPattern: bytes[index]))
            case .uint8: return Double(bytes[index])
            }
        }
    }
}
