import ArgumentParser
import Foundation
import ModelZoo

/// `zoo verify ID|FILE`: every check a pretrained model's weights can be put to.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify pretrained weights: checksums, layout, and the golden input → output pair on our executor.",
        discussion: """
            Checks the file's size and SHA-256 against the manifest, every dataset's SHA-256, the \
            architecture and configuration recorded in the file, each parameter's name, shape and \
            dtype, and runs the manifest's golden inputs (test_data_set_0) through the executor \
            against the golden outputs within the manifest's tolerance. Nothing is downloaded.
            """)

    @Argument(help: "A zoo model id (its shipped or cached weights) or a weights .h5 file.")
    var target: String

    @Option(name: .long, help: "The weights variant (default: the manifest's first).")
    var variant: String?

    @Option(name: .long, help: "Threads, 1 to \(CommandLimits.threads); defaults to the core count.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        try CommandLimits.check("--threads", threads, atMost: CommandLimits.threads)
    }

    func run() throws {
        let verification = try PretrainedZoo.standard.verify(target, variant: variant, threads: threads)
        print("\(verification.model), weights \(verification.variant): \(verification.file)")
        for check in verification.checks { print("  ok  \(check)") }
        print("verified")
    }
}
