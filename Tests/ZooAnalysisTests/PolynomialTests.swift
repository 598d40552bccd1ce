import Testing
import ZooAnalysis

@Suite struct PolynomialTests {
    let batch = Polynomial(symbol: "batch")
    let seq = Polynomial(symbol: "seq")

    @Test func printsHighestDegreeFirstWithExponents() throws {
        let polynomial = try 3 * batch * seq + 2 * batch * seq * seq
        #expect(polynomial.description == "2·batch·seq² + 3·batch·seq")
        #expect(try (batch + 1) * (batch + 1) == Polynomial.sum([batch * batch, 2 * batch, 1]))
        #expect(try ((batch + 1) * (batch + 1)).description == "batch² + 2·batch + 1")
        #expect(Polynomial.zero.description == "0")
        #expect(Polynomial(42).description == "42")
        #expect(Polynomial(-2, Monomial(["x"])).description == "−2·x")
    }

    @Test func keepsNoZeroTerms() throws {
        let cancelled = try batch + Polynomial(-1, Monomial(["batch"]))
        #expect(cancelled == .zero)
        #expect(cancelled.terms.isEmpty)
        #expect(cancelled.constantValue == 0)
        #expect(try (batch * 0).terms.isEmpty)
    }

    @Test func evaluatesForGivenValues() throws {
        let polynomial = try 2 * batch * seq * seq + 3 * batch * seq
        #expect(try polynomial.evaluate(["batch": 1, "seq": 128]) == 2 * 128 * 128 + 3 * 128)
        #expect(try polynomial.evaluate(["batch": 4, "seq": 0]) == 0)
        #expect(polynomial.symbols == ["batch", "seq"])
        #expect(polynomial.constantValue == nil)
        #expect(throws: PolynomialError.unboundSymbol("seq")) { try polynomial.evaluate(["batch": 1]) }
    }

    @Test func reportsOverflowInsteadOfWrapping() {
        #expect(throws: PolynomialError.overflow) { try Polynomial(Int.max) + 1 }
        #expect(throws: PolynomialError.overflow) { try Polynomial(Int.max) * 2 }
        #expect(throws: PolynomialError.overflow) { try (Polynomial(1 << 40) * batch).evaluate(["batch": 1 << 40]) }
    }

    @Test func formatsCoefficientsWithTheGivenFunction() throws {
        let polynomial = try 4_718_592 * batch + 1
        #expect(polynomial.formatted { "<\($0)>" } == "<4718592>·batch + <1>")
        #expect(try (batch * seq).formatted { "<\($0)>" } == "batch·seq")
    }
}
