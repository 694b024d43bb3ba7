import Foundation
import SpecBenchCore

/// A Python pickle reader that knows only what a PyTorch state dict uses, and refuses anything
/// else with a clear error: loading a model file never runs code.
///
/// It interprets the opcodes of protocols 2–5 that build plain data (None, booleans, integers,
/// floats, strings, bytes, tuples, lists, dicts, the memo, marks, frames), persistent ids
/// (PyTorch's storage references) and exactly these globals, which it evaluates itself rather
/// than calling: `collections.OrderedDict` (an empty dict), `torch._utils._rebuild_tensor_v2` and
/// `torch._utils._rebuild_tensor` (a tensor view of a storage), `torch._utils._rebuild_parameter`
/// (its tensor), and the typed storage classes `torch.{Float,Double,Half,BFloat16}Storage` and
/// the integer ones a state dict's buffers use (`torch.LongStorage` for a batch norm's
/// `num_batches_tracked`; `Int`, `Short`, `Char`, `Byte`, `Bool`). Any
/// other global (`os.system`, a model class), `NEWOBJ`, `INST`, `OBJ`, extensions and unknown
/// opcodes throw `InvalidInput` naming them; so do truncation and malformed input. `BUILD` on a
/// dict (the state dict's `_metadata`) is accepted and ignored. Time and memory O(file size).
///
/// Containers nest at most `maximumDepth` deep, and a container cannot change once it is inside
/// another (a state dict's pickle fills each container before nesting it): so depths are exact
/// when recorded, no cycle can form, and freeing what was read never recurses deeper than the
/// limit (50,000 nested lists overflowed the stack while being freed).
struct RestrictedUnpickler {
    /// A storage reference from a persistent id: `('storage', type, key, location, numel)`.
    struct StorageReference: Equatable {
        var key: String
        var elementType: TorchElementType
        var count: Int
    }

    /// A tensor: a strided view of a storage.
    struct TensorReference: Equatable {
        var storage: StorageReference
        var offset: Int
        var shape: [Int]
        var strides: [Int]
    }

    /// A list, dict or tuple, shared by reference as in Python (the memo may hold it): its
    /// nesting depth, and whether it is inside another container (then it is sealed).
    final class Box<Content> {
        var content: Content
        /// 1 + the deepest container inside.
        var depth: Int
        /// Set once the container is placed inside another; a sealed container never changes.
        var sealed = false
        init(_ content: Content, depth: Int = 1) {
            self.content = content
            self.depth = depth
        }
    }

    /// The deepest nesting of containers accepted (a state dict nests a handful deep).
    static let maximumDepth = 100

    /// What the pickle builds.
    indirect enum Value {
        case none
        case bool(Bool)
        case integer(Int)
        case bigInteger([UInt8])
        case float(Double)
        case string(String)
        case bytes(Data)
        case tuple(Box<[Value]>)
        case list(Box<[Value]>)
        case dict(Box<[(Value, Value)]>)
        case global(String)
        case storage(StorageReference)
        case tensor(TensorReference)

        var text: String? { if case .string(let text) = self { return text } else { return nil } }
        var integerValue: Int? { if case .integer(let value) = self { return value } else { return nil } }
        var items: [Value]? {
            switch self {
            case .tuple(let box): return box.content
            case .list(let box): return box.content
            default: return nil
            }
        }

        /// Containers nested in this value, itself included (0 for a scalar).
        var depth: Int {
            switch self {
            case .tuple(let box): return box.depth
            case .list(let box): return box.depth
            case .dict(let box): return box.depth
            default: return 0
            }
        }

        /// Marks this value, if a container, as placed inside another.
        func seal() {
            switch self {
            case .tuple(let box): box.sealed = true
            case .list(let box): box.sealed = true
            case .dict(let box): box.sealed = true
            default: break
            }
        }
    }

    /// The globals this reader evaluates; everything else is refused.
    static let allowedGlobals: Set<String> = [
        "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_parameter", "torch.FloatStorage", "torch.DoubleStorage", "torch.HalfStorage",
        "torch.BFloat16Storage", "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage",
        "torch.ByteStorage", "torch.BoolStorage",
    ]

    private let bytes: [UInt8]
    private let path: String
    private(set) var position: Int

    /// A reader of `data` from `offset`; `path` names the file in messages.
    init(data: Data, offset: Int = 0, path: String) {
        bytes = [UInt8](data)
        self.path = path
        position = offset
    }

    private func failure(_ message: String) -> InvalidInput {
        InvalidInput("'\(path)' is not a readable PyTorch checkpoint: \(message) (at byte \(position))")
    }

    private mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw failure("the file ends inside a pickle (truncated)") }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - position else {
            throw failure("a length of \(count) bytes runs past the end of the file (truncated or damaged)")
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    private mutating func littleEndian(_ width: Int) throws -> UInt64 {
        try take(width).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    private mutating func line() throws -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0A) else { throw failure("an unterminated text argument") }
        defer { position = end + 1 }
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }

    /// Reads one pickle (up to its STOP) and returns what it builds.
    mutating func load() throws -> Value {
        var stack: [Value] = []
        var marks: [Int] = []
        var memo: [Int: Value] = [:]
        func pop() throws -> Value {
            guard let value = stack.popLast() else { throw failure("the pickle pops an empty stack") }
            return value
        }
        func popMark() throws -> [Value] {
            guard let mark = marks.popLast(), mark <= stack.count else { throw failure("a mark is missing") }
            defer { stack.removeLast(stack.count - mark) }
            return Array(stack[mark...])
        }
        /// `items` sealed inside a new container; its depth checked against the limit.
        func nested(_ items: [Value]) throws -> Int {
            let depth = 1 + (items.map(\.depth).max() ?? 0)
            guard depth <= Self.maximumDepth else {
                throw failure("containers nested more than \(Self.maximumDepth) deep, which a state dict never is")
            }
            for item in items { item.seal() }
            return depth
        }
        func tuple(_ items: [Value]) throws -> Value { .tuple(Box(items, depth: try nested(items))) }
        /// Adds `items` to the open container `box` (not yet inside another).
        func extend<Content>(_ box: Box<Content>, with items: [Value], _ add: (Box<Content>) -> Void) throws {
            let depth = try nested(items)
            guard !box.sealed else { throw failure("a container is changed after being placed inside another, which a state dict never does") }
            box.depth = max(box.depth, depth)
            add(box)
        }
        func string(_ slice: ArraySlice<UInt8>) throws -> Value {
            guard let text = String(bytes: slice, encoding: .utf8) else { throw failure("a string is not UTF-8") }
            return .string(text)
        }
        while true {
            let opcode = try byte()
            switch opcode {
            case 0x80: _ = try byte()  // PROTO
            case 0x95: _ = try littleEndian(8)  // FRAME
            case 0x2E:  // STOP
                return try pop()
            case 0x28: marks.append(stack.count)  // MARK
            case 0x30: _ = try pop()  // POP
            case 0x31: _ = try popMark()  // POP_MARK
            case 0x32:  // DUP
                guard let top = stack.last else { throw failure("DUP on an empty stack") }
                stack.append(top)
            case 0x4E: stack.append(.none)  // NONE
            case 0x88: stack.append(.bool(true))  // NEWTRUE
            case 0x89: stack.append(.bool(false))  // NEWFALSE
            case 0x4A: stack.append(.integer(Int(Int32(bitPattern: UInt32(try littleEndian(4))))))  // BININT
            case 0x4B: stack.append(.integer(Int(try byte())))  // BININT1
            case 0x4D: stack.append(.integer(Int(try littleEndian(2))))  // BININT2
            case 0x8A:  // LONG1
                let count = Int(try byte())
                let digits = Array(try take(count))
                if count <= 8 {
                    var value: UInt64 = 0
                    for (index, digit) in digits.enumerated() { value |= UInt64(digit) << (8 * UInt64(index)) }
                    if count > 0, count < 8, digits[count - 1] & 0x80 != 0 { value |= ~UInt64(0) << (8 * UInt64(count)) }
                    stack.append(count == 0 ? .integer(0) : .integer(Int(Int64(bitPattern: value))))
                } else {
                    stack.append(.bigInteger(digits))
                }
            case 0x47: stack.append(.float(Double(bitPattern: try take(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })))  // BINFLOAT (big-endian)
            case 0x58: stack.append(try string(try take(Int(try littleEndian(4)))))  // BINUNICODE
            case 0x8C: stack.append(try string(try take(Int(try byte()))))  // SHORT_BINUNICODE
            case 0x8D:  // BINUNICODE8
                let length = try littleEndian(8)
                guard length <= UInt64(Int.max) else { throw failure("a string length of \(length) bytes") }
                stack.append(try string(try take(Int(length))))
            case 0x55: stack.append(.bytes(Data(try take(Int(try byte())))))  // SHORT_BINSTRING
            case 0x54: stack.append(.bytes(Data(try take(Int(try littleEndian(4))))))  // BINSTRING
            case 0x43: stack.append(.bytes(Data(try take(Int(try byte())))))  // SHORT_BINBYTES
            case 0x42: stack.append(.bytes(Data(try take(Int(try littleEndian(4))))))  // BINBYTES
            case 0x29: stack.append(try tuple([]))  // EMPTY_TUPLE
            case 0x74: stack.append(try tuple(try popMark()))  // TUPLE
            case 0x85: stack.append(try tuple([try pop()]))  // TUPLE1
            case 0x86:  // TUPLE2
                let second = try pop(), first = try pop()
                stack.append(try tuple([first, second]))
            case 0x87:  // TUPLE3
                let third = try pop(), second = try pop(), first = try pop()
                stack.append(try tuple([first, second, third]))
            case 0x5D: stack.append(.list(Box([])))  // EMPTY_LIST
            case 0x6C:  // LIST
                let items = try popMark()
                stack.append(.list(Box(items, depth: try nested(items))))
            case 0x61, 0x65:  // APPEND, APPENDS
                let items = opcode == 0x61 ? [try pop()] : try popMark()
                guard case .list(let box)? = stack.last else { throw failure("APPEND to something that is not a list") }
                try extend(box, with: items) { $0.content += items }
            case 0x7D: stack.append(.dict(Box([])))  // EMPTY_DICT
            case 0x64:  // DICT
                let items = try popMark()
                guard items.count % 2 == 0 else { throw failure("DICT with an odd number of items") }
                let depth = try nested(items)
                stack.append(.dict(Box(stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }, depth: depth)))
            case 0x73, 0x75:  // SETITEM, SETITEMS
                let items: [Value]
                if opcode == 0x73 {
                    let value = try pop(), key = try pop()
                    items = [key, value]
                } else {
                    items = try popMark()
                }
                guard items.count % 2 == 0 else { throw failure("SETITEMS with an odd number of items") }
                guard case .dict(let box)? = stack.last else { throw failure("SETITEM on something that is not a dict") }
                try extend(box, with: items) { box in
                    for index in stride(from: 0, to: items.count, by: 2) { box.content.append((items[index], items[index + 1])) }
                }
            case 0x68, 0x6A:  // BINGET, LONG_BINGET
                let index = opcode == 0x68 ? Int(try byte()) : Int(try littleEndian(4))
                guard let value = memo[index] else { throw failure("the memo has no entry \(index)") }
                stack.append(value)
            case 0x71, 0x72:  // BINPUT, LONG_BINPUT
                let index = opcode == 0x71 ? Int(try byte()) : Int(try littleEndian(4))
                guard let top = stack.last else { throw failure("PUT on an empty stack") }
                memo[index] = top
            case 0x94:  // MEMOIZE
                guard let top = stack.last else { throw failure("MEMOIZE on an empty stack") }
                memo[memo.count] = top
            case 0x63:  // GLOBAL "module\nname\n"
                let module = try line(), name = try line()
                stack.append(try allowed(module + "." + name))
            case 0x93:  // STACK_GLOBAL
                guard let name = try pop().text, let module = try pop().text else { throw failure("STACK_GLOBAL without names") }
                stack.append(try allowed(module + "." + name))
            case 0x51:  // BINPERSID
                stack.append(try storage(try pop()))
            case 0x52:  // REDUCE
                let arguments = try pop(), callable = try pop()
                stack.append(try reduce(callable, arguments))
            case 0x62:  // BUILD: only the state dict's own attributes (_metadata), ignored
                _ = try pop()
                guard case .dict? = stack.last else { throw failure("BUILD sets the state of an object other than a dict, which a state dict does not use") }
            default:
                throw failure(String(format: "opcode 0x%02X is not one a state dict uses; refused", opcode))
            }
        }
    }

    private func allowed(_ name: String) throws -> Value {
        guard Self.allowedGlobals.contains(name) else {
            throw InvalidInput("'\(path)' asks for the Python global '\(name)', which a state dict does not use; refused (loading a model never runs code)")
        }
        return .global(name)
    }

    private func storage(_ identifier: Value) throws -> Value {
        guard let parts = identifier.items, parts.count >= 5, parts[0].text == "storage",
              case .global(let typeName) = parts[1], let key = parts[2].text, let count = parts[4].integerValue, count >= 0
        else { throw failure("a persistent id that is not a storage reference") }
        guard let type = TorchElementType(storageClass: typeName) else {
            throw InvalidInput("'\(path)': storage type \(typeName) is not supported; accepted: float32, float64, float16, bfloat16 and the integer and boolean storages")
        }
        return .storage(StorageReference(key: key, elementType: type, count: count))
    }

    private func reduce(_ callable: Value, _ arguments: Value) throws -> Value {
        guard case .global(let name) = callable, let arguments = arguments.items else {
            throw failure("REDUCE of something that is not an allowed global")
        }
        switch name {
        case "collections.OrderedDict":
            return .dict(Box([]))
        case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor":
            guard arguments.count >= 4, case .storage(let storage) = arguments[0], let offset = arguments[1].integerValue,
                  let shape = arguments[2].items?.compactMap(\.integerValue), let strides = arguments[3].items?.compactMap(\.integerValue),
                  shape.count == strides.count, offset >= 0, shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 })
            else { throw failure("a tensor whose storage, offset, size or stride is malformed") }
            return .tensor(TensorReference(storage: storage, offset: offset, shape: shape, strides: strides))
        case "torch._utils._rebuild_parameter":
            guard let first = arguments.first, case .tensor = first else { throw failure("a parameter without its tensor") }
            return first
        default:
            throw InvalidInput("'\(path)' calls '\(name)', which a state dict does not use; refused (loading a model never runs code)")
        }
    }
}

/// The element types of PyTorch storages this project reads.
enum TorchElementType: String, Equatable, Sendable {
    case float32, float64, float16, bfloat16
    /// Integer and boolean storages: buffers such as a batch norm's `num_batches_tracked`
    /// (int64). Read so that ordinary checkpoints load; never a convolution's weight.
    case int64, int32, int16, int8, uint8, bool

    /// From a legacy storage class (`torch.FloatStorage`, …).
    init?(storageClass: String) {
        switch storageClass {
        case "torch.FloatStorage": self = .float32
        case "torch.DoubleStorage": self = .float64
        case "torch.HalfStorage": self = .float16
        case "torch.BFloat16Storage": self = .bfloat16
        case "torch.LongStorage": self = .int64
        case "torch.IntStorage": self = .int32
        case "torch.ShortStorage": self = .int16
        case "torch.CharStorage": self = .int8
        case "torch.ByteStorage": self = .uint8
        case "torch.BoolStorage": self = .bool
        default: return nil
        }
    }

    /// Bytes per element.
    var size: Int {
        switch self {
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        case .float16, .bfloat16, .int16: return 2
        case .int8, .uint8, .bool: return 1
        }
    }

    /// Element `index` of little-endian `bytes` as a Double.
    func value(_ bytes: [UInt8], at index: Int) -> Double {
        var word: UInt64 = 0
        for byte in 0..<size { word |= UInt64(bytes[index * size + byte]) << (8 * UInt64(byte)) }
        switch self {
        case .float32: return Double(Float(bitPattern: UInt32(word)))
        case .float64: return Double(bitPattern: word)
        case .float16: return Double(Float16(bitPattern: UInt16(word)))
        case .bfloat16: return Double(Float(bitPattern: UInt32(word) << 16))
        case .int64: return Double(Int64(bitPattern: word))
        case .int32: return Double(Int32(bitPattern: UInt32(word)))
        case .int16: return Double(Int16(bitPattern: UInt16(word)))
        case .int8: return Double(Int8(bitPattern: UInt8(word)))
        case .uint8, .bool: return Double(word)
        }
    }
}
