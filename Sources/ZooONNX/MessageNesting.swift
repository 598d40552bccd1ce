import CONNXProto
import CProtobufC

/// A guard in front of protobuf-c, which unpacks nested messages recursively with about a
/// kilobyte of stack per level: a file of some 30 KB nesting Scan bodies 3,000 deep crashes
/// it on an 8 MiB stack (1,000 deep on a 512 KiB thread). This walks the wire format first,
/// without recursion, and refuses messages nested deeper than `limit`, far beyond real
/// models: a body 16 Scans deep, the most validation allows, is about 55 levels.
///
/// The walk follows the schema (protobuf-c's descriptors): it descends into fields whose
/// message type can nest without bound (graphs, through nodes and attributes; types, through
/// sequence elements) and skips the rest, tensors included, by their length and their
/// type's fixed maximum depth, so a large model costs one pass over its small fields.
enum MessageNesting {
    static let limit = 100

    /// Whether `bytes`, read as a ModelProto, nest messages deeper than `limit`. Bytes that are
    /// not well-formed protobuf are left for protobuf-c to reject.
    static func exceedsLimit(_ bytes: [UInt8]) -> Bool {
        var enclosing: [(end: Int, type: Int)] = []
        var current = (end: bytes.count, type: modelType)
        var position = 0
        /// The varint at `position`, which must end inside the current message.
        func varint() -> UInt64? {
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 7) {
                guard position < current.end else { return nil }
                let byte = bytes[position]
                position += 1
                value |= UInt64(byte & 0x7F) << UInt64(shift)
                if byte < 0x80 { return value }
            }
            return nil
        }
        while true {
            while position == current.end, let outer = enclosing.popLast() { current = outer }
            guard position < current.end, let key = varint() else { return false }
            switch key & 7 {
            case 0: guard varint() != nil else { return false }
            case 1: position += 8
            case 5: position += 4
            case 2:
                guard let length = varint(), length <= UInt64(current.end - position) else { return false }
                let end = position + Int(length)
                let depth = enclosing.count + 1
                if let field = types[current.type]?.messageFields[key >> 3], let type = types[field] {
                    if let nested = type.maximumDepth {
                        if depth + nested > limit { return true }
                    } else {
                        if depth + 1 > limit { return true }
                        enclosing.append(current)
                        current = (end, field)
                        continue
                    }
                }
                position = end
            default: return false
            }
            guard position <= current.end else { return false }
        }
    }

    /// A message type of the schema, known by its descriptor's address.
    private struct MessageType {
        /// The message type of each message-typed field, by field number.
        var messageFields: [UInt64: Int]
        /// Levels of nesting a message of this type can hold, itself included; nil when it can
        /// nest without bound (its type recurs below it).
        var maximumDepth: Int?
    }

    private static let modelType: Int = {
        var model = Onnx__ModelProto()
        onnx__model_proto__init(&model)
        return Int(bitPattern: model.base.descriptor)
    }()

    /// Every message type reachable from ModelProto.
    private static let types: [Int: MessageType] = {
        var table: [Int: MessageType] = [:]
        var pending = [modelType]
        while let address = pending.popLast() {
            guard table[address] == nil,
                  let descriptor = UnsafePointer<ProtobufCMessageDescriptor>(bitPattern: address)?.pointee else { continue }
            var fields: [UInt64: Int] = [:]
            for index in 0..<Int(descriptor.n_fields) {
                let field = descriptor.fields[index]
                guard field.type == PROTOBUF_C_TYPE_MESSAGE, let type = field.descriptor else { continue }
                fields[UInt64(field.id)] = Int(bitPattern: type)
                pending.append(Int(bitPattern: type))
            }
            table[address] = MessageType(messageFields: fields, maximumDepth: nil)
        }
        // A type's depth is known once its fields' are; those left unknown recur.
        var resolvedAny = true
        while resolvedAny {
            resolvedAny = false
            for (address, type) in table where type.maximumDepth == nil {
                let nested = type.messageFields.values.map { table[$0]?.maximumDepth }
                guard nested.allSatisfy({ $0 != nil }) else { continue }
                table[address]?.maximumDepth = 1 + (nested.compactMap { $0 }.max() ?? 0)
                resolvedAny = true
            }
        }
        return table
    }()
}
