import Foundation
import Testing
@testable import ZooAnalysis
import ZooGraph

@Suite struct FormattingTests {
    @Test func shortNumbersForPeople() {
        #expect(HumanReadable.count(999) == "999")
        #expect(HumanReadable.count(34_848) == "34.85 K")
        #expect(HumanReadable.count(25_557_032) == "25.56 M")
        #expect(HumanReadable.count(4_089_184_256) == "4.09 G")
        #expect(HumanReadable.count(999_999) == "1.00 M")
        #expect(HumanReadable.bytes(512) == "512 B")
        #expect(HumanReadable.bytes(1536) == "1.50 KiB")
        #expect(HumanReadable.bytes(102_760_448 * 4) == "392.00 MiB")
        #expect(HumanReadable.count(Polynomial(4_718_592, Monomial(["batch"]))) == "4.72 M·batch")
    }

    /// conv (with bias) → relu → dense, small enough to check every cell.
    func report(options: CountOptions = CountOptions()) throws -> ComplexityReport {
        var graph = TestGraph("tiny")
        let x = try graph.input("x", ["batch", 3, 8, 8])
        let features = try graph.apply(.relu, try graph.conv(x, 16, kernel: 3, pad: 1, bias: true, name: "features.0"),
                                       name: "features.1")
        let flat = try graph.apply(.flatten(), features, name: "flatten")
        return try graph.count(try graph.dense(flat, 1000, bias: true, name: "classifier"), options: options)
    }

    @Test func textTable() throws {
        let table = try report(options: CountOptions(symbolValues: ["batch": 1])).formatted(as: .table)
        #expect(table == """
            name        op       output             params     MACs    FLOPs  activations
            -----------------------------------------------------------------------------
            features.0  Conv     float32[1,16,8,8]     448  27.65 K  56.32 K     4.00 KiB
            features.1  Relu     float32[1,16,8,8]       0        0   1.02 K     4.00 KiB
            flatten     Flatten  float32[1,1024]         0        0        0     4.00 KiB
            classifier  Gemm     float32[1,1000]    1.02 M   1.02 M   2.05 M     3.91 KiB
            -----------------------------------------------------------------------------
            total                                   1.03 M   1.05 M   2.11 M    15.91 KiB

            parameters 1.03 M (trainable 1.03 M, non-trainable 0)
            MACs 1.05 M, FLOPs 2.11 M, activations 15.91 KiB
            1 MAC (multiply-accumulate) = 2 FLOPs; MACs are the products of Conv, ConvTranspose, Gemm, MatMul, LSTM, GRU, RNN, Einsum and Det

            """)
    }

    @Test func symbolicCountsPrintAsPolynomials() throws {
        let table = try report(options: CountOptions(depth: 1)).formatted(as: .table)
        #expect(table.contains("1.05 M·batch"))
        #expect(table.contains("MACs 1.05 M·batch, FLOPs 2.11 M·batch, activations 15.91 KiB·batch"))
    }

    @Test func markdownTableOfBlocks() throws {
        let markdown = try report(options: CountOptions(symbolValues: ["batch": 2], depth: 1)).formatted(as: .markdown)
        #expect(markdown.hasPrefix("""
            | block | nodes | params | MACs | FLOPs | activations |
            | :--- | ---: | ---: | ---: | ---: | ---: |
            | features | 2 | 448 | 55.30 K | 114.69 K | 16.00 KiB |
            | flatten | 1 | 0 | 0 | 0 | 8.00 KiB |
            | classifier | 1 | 1.02 M | 2.05 M | 4.10 M | 7.81 KiB |
            | total | 4 | 1.03 M | 2.10 M | 4.21 M | 31.81 KiB |

            - parameters 1.03 M (trainable 1.03 M, non-trainable 0)
            """))
    }

    @Test func csvHasExactIntegers() throws {
        let csv = try report(options: CountOptions(symbolValues: ["batch": 1])).formatted(as: .csv)
        #expect(csv == [
            "name,op,output,parameters,trainable_parameters,macs,flops,activation_bytes,counted",
            "features.0,Conv,\"float32[1,16,8,8]\",448,448,27648,56320,4096,true",
            "features.1,Relu,\"float32[1,16,8,8]\",0,0,0,1024,4096,true",
            "flatten,Flatten,\"float32[1,1024]\",0,0,0,0,4096,true",
            "classifier,Gemm,\"float32[1,1000]\",1025000,1025000,1024000,2049000,4000,true",
            "total,,,1025448,1025448,1051648,2106344,16288,true",
        ].map { $0 + "\r\n" }.joined())
    }

    @Test func jsonHasExactIntegersAndPolynomialTerms() throws {
        let text = try report(options: CountOptions(depth: 1)).formatted(as: .json)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(json["graph"] as? String == "tiny")
        let total = try #require(json["total"] as? [String: Any])
        #expect(total["parameters"] as? Int == 1_025_448)
        #expect(total["non_trainable_parameters"] as? Int == 0)
        let macs = try #require(total["macs"] as? [String: Any])
        #expect(macs["text"] as? String == "1051648·batch")
        let terms = try #require(macs["terms"] as? [[String: Any]])
        #expect(terms.count == 1)
        #expect(terms[0]["coefficient"] as? Int == 1_051_648)
        #expect(terms[0]["powers"] as? [String: Int] == ["batch": 1])
        #expect((json["nodes"] as? [Any])?.count == 4)
        #expect((json["blocks"] as? [[String: Any]])?.map { $0["path"] as? String } == ["features", "flatten", "classifier"])

        let concrete = try report(options: CountOptions(symbolValues: ["batch": 1])).formatted(as: .json)
        let concreteJSON = try #require(try JSONSerialization.jsonObject(with: Data(concrete.utf8)) as? [String: Any])
        #expect((concreteJSON["total"] as? [String: Any])?["macs"] as? Int == 1_051_648)
        #expect(concreteJSON["blocks"] == nil)
    }
}
