import ArgumentParser
import ModelZoo

@main
struct Zoo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zoo",
        abstract: "Reference neural-network architectures, ONNX interchange and model analysis.",
        version: ModelZooVersion.string,
        subcommands: [Inspect.self])
}
