import Foundation
import ZooTensor

/// Runs a pickle (protocols 2 to 5) as a stack machine that can only build plain values and
/// the torch objects of `AllowedGlobal`; it never imports, calls or evaluates anything else.
/// Every other global is refused by name, and so is every opcode outside the set below (the
/// protocol 0/1 text forms, sets, out-of-band buffers, NEWOBJ, extension registries).
///
/// Bounds: containers nest at most `maximumDepth` deep (checked as they grow, so a 10,000-deep
/// pickle fails with an error instead of exhausting the stack; a container cannot change once
/// nested, so no cycle forms and recorded depths stay true), the memo holds at most
/// `maximumMemoCount` values, every length read from the pickle is checked against the bytes
/// that remain, and at most `maximumOperationCount` opcodes run.
struct RestrictedUnpickler {
    static let maximumDepth = 200
    static let maximumMemoCount = 1_000_000
    /// Each opcode makes at most one value, so this bounds the memory a pickle can claim
    /// (a state dict takes about 30 per tensor: this allows some 250,000 tensors).
    static let maximumOperationCount = 8_000_000

    private let bytes: UnsafeRawBufferPointer
    private let source: String
    private var cursor = 0
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    private var storages: [String: StorageReference] = [:]

    /// `source` names the pickle in errors, e.g. `checkpoint.pth: archive/data.pkl`.
    init(_ bytes: UnsafeRawBufferPointer, source: String) {
        self.bytes = bytes
        self.source = source
    }

    /// The pickled value.
    mutating func load() throws(PickleError) -> PickleValue {
        var operationCount = 0
        while true {
            operationCount += 1
            guard operationCount <= Self.maximumOperationCount else {
                throw fail("more than \(Self.maximumOperationCount) opcodes; no state dict needs that many")
            }
            let position = cursor
            let opcode = try readByte()
            if opcode == 0x2E {   // STOP
                guard stack.count == 1, marks.isEmpty else { throw fail("STOP at byte \(position) leaves \(stack.count) values on the stack") }
                return stack[0]
            }
            try execute(opcode, at: position)
            if let top = stack.last, top.depth > Self.maximumDepth {
                throw fail("values nest more than \(Self.maximumDepth) deep (at byte \(position))")
            }
        }
    }

    private mutating func execute(_ opcode: UInt8, at position: Int) throws(PickleError) {
        switch opcode {
        case 0x80: _ = try readByte()                                  // PROTO
        case 0x95: _ = try readInteger(8)                              // FRAME: a length hint only
        case 0x28: marks.append(stack.count)                           // MARK
        case 0x4E: stack.append(.none)                                 // NONE
        case 0x88: stack.append(.bool(true))                           // NEWTRUE
        case 0x89: stack.append(.bool(false))                          // NEWFALSE
        case 0x4B: stack.append(.int(try readInteger(1)))              // BININT1
        case 0x4D: stack.append(.int(try readInteger(2)))              // BININT2
        case 0x4A: stack.append(.int(Int(Int32(truncatingIfNeeded: try readInteger(4)))))   // BININT
        case 0x8A: stack.append(.int(try readLong(byteCount: try readInteger(1))))          // LONG1
        case 0x47: stack.append(.float(Double(bitPattern: try readBigEndian64())))        // BINFLOAT
        case 0x58: stack.append(.string(try readText(try readInteger(4))))       // BINUNICODE
        case 0x8C: stack.append(.string(try readText(try readInteger(1))))       // SHORT_BINUNICODE
        case 0x8D: stack.append(.string(try readText(try readInteger(8))))       // BINUNICODE8
        case 0x55: stack.append(.string(try readText(try readInteger(1))))       // SHORT_BINSTRING
        case 0x54: stack.append(.string(try readText(try readInteger(4))))       // BINSTRING
        case 0x43: stack.append(.bytes(Array(try read(try readInteger(1)))))     // SHORT_BINBYTES
        case 0x42: stack.append(.bytes(Array(try read(try readInteger(4)))))     // BINBYTES
        case 0x8E: stack.append(.bytes(Array(try read(try readInteger(8)))))     // BINBYTES8
        case 0x29: stack.append(.tuple([]))                            // EMPTY_TUPLE
        case 0x85: stack.append(tuple(try pop(1)))                     // TUPLE1
        case 0x86: stack.append(tuple(try pop(2)))                     // TUPLE2
        case 0x87: stack.append(tuple(try pop(3)))                     // TUPLE3
        case 0x74: stack.append(tuple(try popToMark()))                // TUPLE
        case 0x5D: stack.append(.list(PickleList()))                   // EMPTY_LIST
        case 0x7D: stack.append(.dict(PickleDict()))                   // EMPTY_DICT
        case 0x61: try append(try pop(1))                              // APPEND
        case 0x65: try append(try popToMark())                         // APPENDS
        case 0x73: try setItems(try pop(2))                            // SETITEM
        case 0x75: try setItems(try popToMark())                       // SETITEMS
        case 0x30: _ = try pop(1)                                      // POP
        case 0x31: _ = try popToMark()                                 // POP_MARK
        case 0x32: stack.append(try top())                             // DUP
        case 0x71: try memoize(at: try readInteger(1))                 // BINPUT
        case 0x72: try memoize(at: try readInteger(4))                 // LONG_BINPUT
        case 0x94: try memoize(at: memo.count)                         // MEMOIZE
        case 0x68: stack.append(try recall(try readInteger(1)))        // BINGET
        case 0x6A: stack.append(try recall(try readInteger(4)))        // LONG_BINGET
        case 0x63:                                                     // GLOBAL
            let module = try readLine(), name = try readLine()
            stack.append(.global(try allowed(module: module, name: name)))
        case 0x93:                                                     // STACK_GLOBAL
            let pair = try pop(2)
            guard case .string(let module) = pair[0], case .string(let name) = pair[1] else {
                throw fail("STACK_GLOBAL at byte \(position) takes two strings, got \(pair[0].kind) and \(pair[1].kind)")
            }
            stack.append(.global(try allowed(module: module, name: name)))
        case 0x52:                                                     // REDUCE
            let pair = try pop(2)
            guard case .global(let callable) = pair[0], case .tuple(let arguments) = pair[1] else {
                throw fail("REDUCE at byte \(position) calls a \(pair[0].kind) with a \(pair[1].kind); only allowed globals are called")
            }
            stack.append(try TorchRebuild.apply(callable, arguments, source: source))
        case 0x62:                                                     // BUILD
            let pair = try pop(2)
            guard case .dict = pair[0], case .dict = pair[1] else {
                throw fail("BUILD at byte \(position) sets the state of a \(pair[0].kind) from a \(pair[1].kind); only an OrderedDict's attributes (such as _metadata) are accepted")
            }
            stack.append(pair[0])   // a state dict's `_metadata` attribute is not needed
        case 0x51:                                                     // BINPERSID
            stack.append(try persistentLoad(try pop(1)[0]))
        default:
            throw fail("opcode 0x\(String(opcode, radix: 16, uppercase: true)) at byte \(position) is not accepted "
                       + "(only protocol 2-5 opcodes that build plain values and tensors are)")
        }
    }

    private func allowed(module: String, name: String) throws(PickleError) -> AllowedGlobal {
        guard let global = AllowedGlobal(module: module, name: name) else {
            throw .forbiddenGlobal(source: source, name: "\(module).\(name)")
        }
        return global
    }

    /// `("storage", storage type, key, location, element count)`, as torch.save writes it.
    private mutating func persistentLoad(_ identifier: PickleValue) throws(PickleError) -> PickleValue {
        guard case .tuple(let fields) = identifier, fields.count == 5, case .string("storage") = fields[0],
              case .global(.storageType(let dtype)) = fields[1], case .string(let key) = fields[2],
              case .string = fields[3], case .int(let count) = fields[4], count >= 0 else {
            throw fail("a persistent id is not (\"storage\", storage type, key, location, count)")
        }
        let storage = StorageReference(key: key, dtype: dtype, elementCount: count)
        if let known = storages[key], known.dtype != dtype || known.elementCount != count {
            throw fail("storage '\(key)' is declared twice with different types or sizes")
        }
        storages[key] = storage
        return .storage(storage)
    }

    private func tuple(_ items: [PickleValue]) -> PickleValue {
        for item in items { item.seal() }
        return .tuple(items)
    }

    private mutating func append(_ items: [PickleValue]) throws(PickleError) {
        guard case .list(let list) = try top() else { throw fail("APPEND to a \(try top().kind), not a list") }
        guard !list.isSealed else { throw fail(Self.sealedReason) }
        for item in items {
            if case .list(let inner) = item, inner === list { throw fail("a list is appended to itself") }
            list.append(item)
        }
    }

    /// Python's own pickles fill a container before nesting it, except for self-references,
    /// which a state dict never has.
    private static let sealedReason = "a list or dict is changed after it was nested in another value (a self-referencing structure)"

    private mutating func setItems(_ flat: [PickleValue]) throws(PickleError) {
        guard case .dict(let dict) = try top() else { throw fail("SETITEM on a \(try top().kind), not a dict") }
        guard !dict.isSealed else { throw fail(Self.sealedReason) }
        guard flat.count % 2 == 0 else { throw fail("SETITEMS with an odd number of values") }
        for index in stride(from: 0, to: flat.count, by: 2) {
            let key: PickleKey
            switch flat[index] {
            case .string(let text): key = .string(text)
            case .int(let value): key = .int(value)
            default: throw fail("a dict key is a \(flat[index].kind); only str and int keys are accepted")
            }
            if case .dict(let inner) = flat[index + 1], inner === dict { throw fail("a dict is set as its own value") }
            guard dict.insert(key, flat[index + 1]) else { throw .duplicateKey(source: source, key: key.description) }
        }
    }

    private mutating func memoize(at index: Int) throws(PickleError) {
        guard memo.count < Self.maximumMemoCount || memo[index] != nil else {
            throw fail("the memo grows past \(Self.maximumMemoCount) values")
        }
        memo[index] = try top()
    }

    private func recall(_ index: Int) throws(PickleError) -> PickleValue {
        guard let value = memo[index] else { throw fail("memo entry \(index) is read before it is written") }
        return value
    }

    private func top() throws(PickleError) -> PickleValue {
        guard let value = stack.last else { throw fail("an opcode at byte \(cursor - 1) needs a value on an empty stack") }
        return value
    }

    private mutating func pop(_ count: Int) throws(PickleError) -> [PickleValue] {
        guard stack.count - (marks.last ?? 0) >= count else { throw fail("the stack holds fewer than \(count) values at byte \(cursor - 1)") }
        defer { stack.removeLast(count) }
        return Array(stack.suffix(count))
    }

    private mutating func popToMark() throws(PickleError) -> [PickleValue] {
        guard let mark = marks.popLast() else { throw fail("no MARK before byte \(cursor - 1)") }
        defer { stack.removeSubrange(mark...) }
        return Array(stack[mark...])
    }

    // MARK: Reading the byte stream

    private mutating func read(_ count: Int) throws(PickleError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= bytes.count - cursor else {
            throw fail("the pickle ends inside a \(count)-byte field at byte \(cursor) (it has \(bytes.count) bytes)")
        }
        defer { cursor += count }
        return UnsafeRawBufferPointer(rebasing: bytes[cursor..<cursor + count])
    }

    private mutating func readByte() throws(PickleError) -> UInt8 { try read(1)[0] }

    /// An unsigned little-endian integer of `count` bytes (at most 8, and at most Int.max).
    private mutating func readInteger(_ count: Int) throws(PickleError) -> Int {
        let field = try read(count)
        var value: UInt64 = 0
        for (index, byte) in field.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        guard let result = Int(exactly: value) else { throw fail("a length of \(value) at byte \(cursor - count)") }
        return result
    }

    private mutating func readBigEndian64() throws(PickleError) -> UInt64 {
        try read(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// LONG1: a two's-complement little-endian integer; wider than 64 bits is refused.
    private mutating func readLong(byteCount: Int) throws(PickleError) -> Int {
        guard byteCount <= 8 else { throw fail("an integer of \(byteCount) bytes is wider than 64 bits") }
        let field = try read(byteCount)
        guard byteCount > 0 else { return 0 }
        var value: UInt64 = 0
        for (index, byte) in field.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        let shift = UInt64(64 - 8 * byteCount)
        return Int(Int64(bitPattern: value << shift) >> Int64(shift))
    }

    private mutating func readText(_ count: Int) throws(PickleError) -> String {
        let field = try read(count)
        guard let text = String(validating: field, as: UTF8.self) else { throw fail("a string at byte \(cursor - count) is not UTF-8") }
        return text
    }

    private mutating func readLine() throws(PickleError) -> String {
        let start = cursor
        while cursor < bytes.count, bytes[cursor] != 0x0A { cursor += 1 }
        guard cursor < bytes.count else { throw fail("a GLOBAL name at byte \(start) has no end of line") }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<cursor]), as: UTF8.self)
        cursor += 1
        return text
    }

    private func fail(_ reason: String) -> PickleError { .malformed(source: source, reason: reason) }
}

/// Why a checkpoint's pickle was refused.
enum PickleError: Error, CustomStringConvertible {
    /// A global outside the allowed set: the pickle asked for code.
    case forbiddenGlobal(source: String, name: String)
    case duplicateKey(source: String, key: String)
    case malformed(source: String, reason: String)

    var description: String {
        switch self {
        case .forbiddenGlobal(let source, let name):
            "\(source): refused global '\(name)': only state dicts of tensors are read (the globals torch.load(weights_only=True) accepts), "
                + "and nothing in a checkpoint is ever executed"
        case .duplicateKey(let source, let key): "\(source): the key \(key) appears twice in one dict"
        case .malformed(let source, let reason): "\(source): \(reason)"
        }
    }
}
