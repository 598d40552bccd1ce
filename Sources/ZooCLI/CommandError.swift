/// A problem with what the user asked for, found while running (printed without usage help).
struct CommandError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
