/// The ModelZoo release, written into exported files and printed by `zoo --version`.
public enum ModelZooVersion {
    public static let string = "0.1.0"
}
