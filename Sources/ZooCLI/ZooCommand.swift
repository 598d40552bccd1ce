import ArgumentParser
import ModelZoo

@main
struct ZooCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zoo",
        abstract: "Reference neural-network architectures, ONNX interchange and model analysis.",
        version: ModelZooVersion.string,
        subcommands: [List.self, Info.self, Count.self, Export.self, Inspect.self, Import.self, Run.self, Bench.self, Fetch.self, Verify.self, Embed.self,
                      // PyTorch checkpoints and other weights files
                      Convert.self,
                      // image classification
                      Classify.self])
}
