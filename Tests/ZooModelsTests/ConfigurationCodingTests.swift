import Foundation
import Testing
import ZooBlocks
import ZooModels

/// Configurations are data: each registered one survives a JSON round trip unchanged.
@Suite struct ConfigurationCodingTests {
    @Test(arguments: Zoo.models.map(\.id))
    func configurationRoundTripsThroughJSON(id: String) throws {
        let architecture = try Zoo.model(id).architecture
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try encoder.encode(architecture)
        #expect(try encoder.encode(decoded(json, as: architecture)) == json)
    }

    @Test func resNetConfigurationReadsAsItsFields() throws {
        let json = try JSONEncoder().encode(ResNet.resnet50)
        let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        #expect(object?["blockCounts"] as? [Int] == [3, 4, 6, 3])
        #expect(object?["block"] as? String == "bottleneck")
        #expect(object?["classCount"] as? Int == 1000)
    }

    private func decoded<A: Architecture>(_ json: Data, as _: A) throws -> A {
        try JSONDecoder().decode(A.self, from: json)
    }
}
