import Foundation
import Testing
import ZooTestSupport

/// `zoo classify` as a user runs it: LeNet-5 on the README's digit PNGs, text and JSON, and
/// the errors for what it cannot classify.
@Suite struct ClassifyCommandTests {
    static let root = Python.repositoryRoot.path
    /// Zoo/lenet5/digits/digit1…8.png; make_digit_pngs.py prints their true labels.
    static let digits = (1...8).map { "\(root)/Zoo/lenet5/digits/digit\($0).png" }

    @Test func theDigitPNGsAreRemadeByTheirScript() throws {
        let directory = try temporaryDirectory()
        #expect(try Python.run(path: "\(Self.root)/Zoo/lenet5/make_digit_pngs.py", [directory]) == "2 0 4 9 4 1 2 4\n")
        for number in 1...8 {
            #expect(FileManager.default.contents(atPath: "\(directory)/digit\(number).png") == FileManager.default.contents(atPath: Self.digits[number - 1]))
        }
    }

    @Test func leNetReadsTheDigitsRight() throws {
        let result = try ZooTool.succeed(["classify"] + Self.digits + ["--top", "2", "--threads", "2"])
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 8 * 3)
        #expect(lines[0] == Substring(Self.digits[0]))
        // "   99.57%  0 (0)": the best class of each image, in the order of the files.
        let best = stride(from: 1, to: lines.count, by: 3).map { lines[$0].split(separator: " ")[1] }
        #expect(best.joined(separator: " ") == "2 0 4 9 4 1 2 4")
        #expect(lines[1].hasPrefix("   90.30%  2 (2)"))
    }

    @Test func jsonGivesProbabilitiesThatSumToOne() throws {
        struct Report: Decodable {
            struct Image: Decodable { let file: String, top: [Entry] }
            struct Entry: Decodable { let index: Int, label: String?, probability: Double }
            let model: String
            let images: [Image]
        }
        let output = try ZooTool.succeed(["classify", Self.digits[3], Self.digits[5], "--json", "--top", "10"]).output
        let report = try JSONDecoder().decode(Report.self, from: Data(output.utf8))
        #expect(report.model == "lenet5")
        #expect(report.images.map(\.file) == [Self.digits[3], Self.digits[5]])
        #expect(report.images.map { $0.top[0].label } == ["9", "1"])
        for image in report.images {
            #expect(Set(image.top.map(\.index)) == Set(0..<10))
            #expect(abs(image.top.map(\.probability).reduce(0, +) - 1) < 1e-9)
            #expect(image.top.map(\.probability) == image.top.map(\.probability).sorted(by: >))
        }
    }

    @Test func refusals() throws {
        let cases: [([String], String)] = [
            (["classify", "/nonexistent/cat.jpg"], "Error: /nonexistent/cat.jpg: cannot read the image: No such file or directory\n"),
            (["classify", "\(Self.root)/Zoo/lenet5/manifest.json"],
             "Error: \(Self.root)/Zoo/lenet5/manifest.json: not a JPEG or PNG image (unknown signature)\n"),
            (["classify", Self.digits[0], "--model", "resnet18"], "Error: no pretrained weights for 'resnet18': there is no "),
            (["classify", Self.digits[0], "--preprocessing", "sharpen"],
             "Error: --preprocessing must be one of grayscale-32, keras-caffe, torchvision-imagenet, got 'sharpen'\n"),
            (["classify", Self.digits[0], "--labels", "\(Self.root)/Zoo/labels/imagenet-1k.txt"],
             "Error: \(Self.root)/Zoo/labels/imagenet-1k.txt names 1000 classes, but lenet5 scores 10\n"),
            (["classify", Self.digits[0], "--preprocessing", "torchvision-imagenet"],
             "Error: input 'image' must have shape [batch, 1, 32, 32], got [1, 3, 224, 224]: dimension 1 must be 1, got 3\n"),
        ]
        for (arguments, message) in cases {
            let result = try ZooTool.run(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.errors.hasPrefix(message), "\(arguments): \(result.errors)")
        }
    }
}
