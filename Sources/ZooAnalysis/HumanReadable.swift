import Foundation

/// Short numbers for people: counts with SI prefixes (25.56 M, 4.09 G), bytes with binary
/// ones (1.53 MiB), two decimals. Machine formats print exact integers instead.
public enum HumanReadable {
    public static func count(_ value: Int) -> String {
        scaled(value, base: 1000, units: ["", " K", " M", " G", " T", " P", " E"])
    }

    public static func bytes(_ value: Int) -> String {
        scaled(value, base: 1024, units: [" B", " KiB", " MiB", " GiB", " TiB", " PiB", " EiB"])
    }

    public static func count(_ value: Polynomial) -> String { value.formatted(coefficient: count) }

    public static func bytes(_ value: Polynomial) -> String { value.formatted(coefficient: bytes) }

    static func percent(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "0%" : String(format: "%.1f%%", 100 * Double(part) / Double(whole))
    }

    /// `part` as a percentage of `whole` when both are numbers, else both spelled out.
    static func share(_ part: Polynomial, of whole: Polynomial, format: (Polynomial) -> String) -> String {
        if let part = part.constantValue, let whole = whole.constantValue { return percent(part, of: whole) }
        return "\(format(part)) of \(format(whole))"
    }

    /// Below `base`, the integer itself (with the first unit); above, two decimals of the
    /// largest unit that keeps the rounded number at least 1 (999,999 is 1.00 M, not 1000.00 K).
    private static func scaled(_ value: Int, base: Double, units: [String]) -> String {
        var magnitude = Double(value.magnitude)
        guard magnitude >= base else { return "\(value)\(units[0])" }
        var unit = 0
        while (magnitude * 100).rounded() / 100 >= base && unit < units.count - 1 {
            magnitude /= base
            unit += 1
        }
        return (value < 0 ? "−" : "") + String(format: "%.2f", magnitude) + units[unit]
    }
}
