import Foundation
import Testing
import ZooTensor

/// Sizes from input overflow into errors, never traps; in-range values give exact results.
@Suite struct CheckedArithmeticTests {
    @Test func integerOperationsReportOverflow() throws {
        #expect(try CheckedArithmetic.add(Int.max - 1, 1) == Int.max)
        #expect(throws: ArithmeticOverflow("4611686018427387904 + 4611686018427387904 overflows 64 bits")) {
            try CheckedArithmetic.add(1 << 62, 1 << 62)
        }
        #expect(try CheckedArithmetic.subtract(Int.min + 1, 1) == Int.min)
        #expect(throws: ArithmeticOverflow.self) { try CheckedArithmetic.subtract(Int.min, 1) }
        #expect(try CheckedArithmetic.multiply(1 << 31, 1 << 31) == 1 << 62)
        #expect(throws: ArithmeticOverflow("4294967296 × 4294967296 overflows 64 bits")) {
            try CheckedArithmetic.multiply(1 << 32, 1 << 32)
        }
        #expect(try CheckedArithmetic.product([]) == 1)
        #expect(try CheckedArithmetic.product([3, 0, 1 << 62, 1 << 62]) == 0, "a zero before the overflow")
        #expect(throws: ArithmeticOverflow("the product of [4294967296, 4294967296, 0] overflows 64 bits")) {
            try CheckedArithmetic.product([1 << 32, 1 << 32, 0])
        }
        #expect(try CheckedArithmetic.sum([1, 2, 3]) == 6)
        #expect(throws: ArithmeticOverflow.self) { try CheckedArithmetic.sum([Int.max, 1]) }
    }

    @Test func floatingPointConversionsNeedAFiniteValueInRange() throws {
        #expect(try CheckedArithmetic.integer(1e18) == 1_000_000_000_000_000_000)
        #expect(try CheckedArithmetic.integer(-0x1p63) == Int.min)
        #expect(try CheckedArithmetic.integer(2.9) == 2)
        #expect(throws: ArithmeticOverflow("inf is not a finite number")) { try CheckedArithmetic.integer(.infinity) }
        #expect(throws: ArithmeticOverflow("nan is not a finite number")) { try CheckedArithmetic.integer(.nan) }
        #expect(throws: ArithmeticOverflow("9.223372036854776e+18 is outside the 64-bit range")) {
            try CheckedArithmetic.integer(0x1p63)
        }
        #expect(try CheckedArithmetic.int32(Int(Int32.max)) == Int32.max)
        #expect(throws: ArithmeticOverflow("3000000000 is outside the 32-bit range [-2147483648, 2147483647]")) {
            try CheckedArithmetic.int32(3_000_000_000)
        }
    }

    /// An allocation the system cannot satisfy is an error carrying its size.
    @Test func impossibleAllocationThrows() throws {
        let failure = #expect(throws: AllocationFailure.self) {
            try MachineMemory.allocate(byteCount: Int.max, alignment: 64)
        }
        #expect(failure?.byteCount == Int.max)
        let small = try MachineMemory.allocate(byteCount: 100, alignment: 64)
        #expect(Int(bitPattern: small) % 64 == 0)
        free(small)
        #expect(MachineMemory.availableByteCount() > 0)
        #expect(MachineMemory.describe(116 << 30) == "116.0 GiB")
    }
}
