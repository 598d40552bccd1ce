import ArgumentParser
import Foundation
import ModelZoo

/// `zoo info ID`: configuration, inputs and outputs, and a block-level summary.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a model's configuration, input/output spec and a per-block summary.")

    @OptionGroup var selection: ModelSelection

    @Option(name: .long, help: "Block depth of the summary.")
    var depth = 1

    func run() throws {
        let graph: Graph
        if selection.isFile {
            graph = try selection.graph()
        } else {
            // With --weights, the configuration is the one the weights imply.
            let (entry, traced) = try selection.entryAndGraph()
            graph = traced
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print("\(entry.id): \(entry.summary)")
            print("configuration: \(String(decoding: try encoder.encode(entry.architecture), as: UTF8.self))")
        }
        let types = try graph.valueTypes()
        for input in graph.inputs { print("input  \(input.name): \(input.type)") }
        for output in graph.outputs { print("output \(output.name): \(types[output.name] ?? output.type)") }
        var options = CountOptions(depth: depth)
        options.symbolValues = try selection.symbolValues(for: graph, given: [:], unsized: .defaultOrKeep)
        let report = try ComplexityReport(counting: graph, options: options)
        print(report.formatted(as: .table))
    }
}
