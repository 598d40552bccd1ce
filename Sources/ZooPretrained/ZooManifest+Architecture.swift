import ZooBlocks
import ZooGraph
import ZooModels

extension ZooManifest {
    /// The registry's architecture family with the manifest's configuration.
    public func architectureValue() throws(PretrainedError) -> any Architecture {
        let entry: ModelEntry
        do { entry = try Zoo.model(architecture.id) } catch {
            throw .architectureMismatch(model: id, reason: "the manifest's architecture: \(error)")
        }
        // The registry's value opens the existential: its concrete type decodes the config.
        func decode<Family: Architecture>(like registered: Family) throws -> any Architecture {
            try architecture.config.decode(as: Family.self)
        }
        do { return try decode(like: entry.architecture) } catch {
            throw .architectureMismatch(
                model: id, reason: "the manifest's config is not a configuration of '\(architecture.id)': \(error)")
        }
    }

    /// The configuration as stored in weights files' `config` attribute: the architecture's
    /// own encoding, keys sorted, so equal configurations give equal text.
    public func configurationText() throws(PretrainedError) -> String {
        let value = try architectureValue()
        do { return try JSONValue(encoding: value).canonicalText } catch {
            throw .architectureMismatch(model: id, reason: "cannot encode its configuration: \(error)")
        }
    }

    /// The traced graph, named after the manifest's id, with every parameter zero.
    public func graph() throws(PretrainedError) -> Graph {
        let value = try architectureValue()
        do { return try value.graph(name: id, initialization: .zeros) } catch {
            throw .architectureMismatch(model: id, reason: "cannot build the graph: \(error)")
        }
    }
}
