import Foundation
import Testing
import ZooImage
import ZooTensor

/// Our decoded pixels against Pillow's, on scikit-learn's two photos and on a JPEG or PNG of
/// every EXIF orientation, colour type, bit depth, palette and interlacing: equal, sample
/// for sample (Debian's libjpeg-turbo 2.1 and the 3.x in Pillow's wheel decode alike with
/// the accurate IDCT and fancy upsampling both use).
@Suite struct DecodingVersusPillowTests {
    @Test func everyFixtureDecodesToPillowsPixels() throws {
        let fixtures = try PillowFixtures.get()
        #expect(fixtures.names.count == 37)
        for name in fixtures.names {
            let image = try ImageDecoder.decode(file: fixtures.path(name))
            let rgb = try image.rgb().tensor(), gray = try image.grayscale().tensor()
            let pillowRGB = try fixtures.reference(name, "rgb"), pillowGray = try fixtures.reference(name, "l")
            #expect(rgb.shape == pillowRGB.shape, "\(name)")
            #expect(gray.shape == pillowGray.shape, "\(name)")
            #expect(rgb == pillowRGB, "\(name)")
            #expect(gray == pillowGray, "\(name)")
        }
    }
}
