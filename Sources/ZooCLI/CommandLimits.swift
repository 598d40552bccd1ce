import ArgumentParser
import ModelZoo

/// Upper bounds for counts given on the command line, so that a mistyped value is refused
/// with a message rather than trapping in a conversion or an allocation.
enum CommandLimits {
    /// As many as a Session takes.
    static let threads = SessionOptions.maximumThreads
    /// Each timed run keeps one sample; a million is hours of runs for the smallest model.
    static let runs = 1_000_000

    /// Throws unless `value` is in 1...`limit`.
    static func check(_ option: String, _ value: Int, atMost limit: Int) throws {
        guard (1...limit).contains(value) else {
            throw ValidationError("\(option) must be between 1 and \(limit), got \(value)")
        }
    }
}
