import ArgumentParser
import ModelZoo

/// `zoo list`: every registered model with its size and cost at the default input.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the zoo's models with parameters and MACs at their default input.")

    func run() throws {
        var rows = [["id", "params", "MACs", "input", "description"]]
        for entry in Zoo.models {
            let graph = try entry.graph()
            var options = CountOptions()
            for input in entry.inputs {
                options.inputShapes[input.name] = input.defaultShape.map(Dim.fixed)
            }
            let report = try ComplexityReport(counting: graph, options: options)
            let shapes = entry.inputs.map { "\($0.name) " + $0.defaultShape.map(String.init).joined(separator: "x") }
            let input = shapes[0] + (shapes.count > 1 ? " (+\(shapes.count - 1))" : "")
            rows.append([entry.id, HumanReadable.count(report.total.trainableParameters),
                         HumanReadable.count(report.total.macs), input, entry.summary])
        }
        print(TextTable.render(rows))
    }
}
