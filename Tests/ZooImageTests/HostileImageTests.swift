import Testing
import ZooImage

/// Damaged and hostile files (make_image_fixtures.py's hostile/ folder): each a clear error
/// naming the file, refused before allocating what the header claims; damaged metadata alone
/// is ignored, as Pillow ignores it.
@Suite struct HostileImageTests {
    @Test(arguments: [
        ("huge.png", "the image declares 100000x100000 pixels, more than the 178956970 allowed"),
        ("huge.jpg", "the image declares 65000x65000 pixels, more than the 178956970 allowed"),
        ("forged.png", "cannot decode the PNG image: the header declares 10000x10000 pixels, more than the file's 67 bytes can hold (truncated or forged)"),
        ("truncated.png", "cannot decode the PNG image: the file ends before the image data does (truncated)"),
        ("truncated.jpg", "cannot decode the JPEG image: Premature end of JPEG file"),
        ("corrupt.jpg", "cannot decode the JPEG image: Corrupt JPEG data: "),
        ("empty.png", "not a JPEG or PNG image (unknown signature)"),
        ("text.png", "not a JPEG or PNG image (unknown signature)"),
    ])
    func refusedWithAClearError(name: String, message: String) throws {
        let path = try PillowFixtures.get().path("hostile/\(name)")
        let error = #expect(throws: ImageError.self) { try ImageDecoder.decode(file: path) }
        #expect(error?.description.hasPrefix("\(path): \(message)") == true, "\(error?.description ?? "no error")")
    }

    @Test func anExifOffsetPastTheEndLeavesTheImageAsStored() throws {
        let fixtures = try PillowFixtures.get()
        let damaged = try ImageDecoder.decode(file: fixtures.path("hostile/bad-exif.jpg"))
        #expect((damaged.width, damaged.height) == (29, 18))  // orientation-6.jpg stored, not turned
    }

    @Test func aMissingFileIsNamed() {
        let error = #expect(throws: ImageError.self) { try ImageDecoder.decode(file: "/nonexistent/cat.jpg") }
        #expect(error?.description == "/nonexistent/cat.jpg: cannot read the image: No such file or directory")
    }
}
