import Foundation
import Testing
import ZooTestSupport

/// `zoo classify` as a user runs it: LeNet-5 on the README's digit PNGs, text and JSON, and
/// the errors for what it cannot classify.
@Suite struct ClassifyCommandTests {
    static let root = Python.repositoryRoot.path
    /// Zoo/lenet5/digits/digit1…8.png; make_digit_pngs.py prints their true labels.
    static let digits = (1...8).map { "\(root)/Zoo/lenet5/digits/digit\($0).png" }

    /// What `zoo classify --json` prints (classify_reference.py prints the same, without model and labels).
    struct Report: Decodable {
        struct Image: Decodable { let file: String, top: [Entry] }
        struct Entry: Decodable { let index: Int, label: String?, probability: Double }
        let model: String?
        let images: [Image]
    }

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


    /// An ONNX ImageNet classifier (our ResNet-18 with seeded weights, exported) on
    /// scikit-learn's two photos with torchvision's recipe: the top 5 and their probabilities
    /// within 1e-4 of torchvision's preprocessing (pil_image_reference.py) + onnxruntime.
    @Test func anONNXClassifierOnThePhotosAgreesWithTorchvisionAndOnnxRuntime() throws {
        let directory = try temporaryDirectory()
        let model = "\(directory)/resnet18.onnx"
        _ = try ZooTool.succeed(["export", "resnet18", "-o", model])
        let photos = try Python.run(script: "make_image_fixtures.py", [directory]).split(separator: "\n").prefix(2).map { "\(directory)/\($0)" }
        #expect(photos.map { ($0 as NSString).lastPathComponent } == ["china.jpg", "flower.jpg"])
        let output = try ZooTool.succeed(["classify"] + photos + [
            "--model", model, "--preprocessing", "torchvision-imagenet", "--labels", "\(Self.root)/Zoo/labels/imagenet-1k.txt",
            "--json", "--top", "5", "--threads", "2"]).output
        let ours = try JSONDecoder().decode(Report.self, from: Data(output.utf8))
        let reference = try Python.json(Report.self, script: "classify_reference.py", [model, "1000"] + photos)
        #expect(ours.images.map(\.file) == photos)
        for (image, expected) in zip(ours.images, reference.images) {
            let probabilities = Dictionary(uniqueKeysWithValues: expected.top.map { ($0.index, $0.probability) })
            #expect(image.top.count == 5)
            for entry in image.top {
                #expect(abs(entry.probability - probabilities[entry.index]!) <= 1e-4, "\(image.file) class \(entry.index)")
            }
            // The five most probable, up to ties within the tolerance.
            #expect(image.top.map(\.probability).min()! >= expected.top[4].probability - 1e-4, "\(image.file)")
        }
        let names = try String(contentsOfFile: "\(Self.root)/Zoo/labels/imagenet-1k.txt", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(ours.images.flatMap(\.top).allSatisfy { $0.label == names[$0.index] })
    }

    /// The bar: torchvision's resnet18 from a torch.save checkpoint (rebuilt byte for
    /// byte by regenerate_checkpoint.py, 46 MB, not committed) classifies scikit-learn's photos
    /// as torchvision's transform + PyTorch's model do (make_classify_reference.py): the same
    /// top 5 in the same order, probabilities within 1e-4. The seeded weights are untrained and
    /// their logits far apart, so the probabilities are nearly one-hot; the order of all five
    /// still checks the logits.
    @Test func aPyTorchCheckpointClassifiesThePhotosAsPyTorchDoes() throws {
        let directory = try temporaryDirectory()
        let weights = try Python.run(script: "regenerate_checkpoint.py", ["resnet18", directory]).trimmingCharacters(in: .whitespacesAndNewlines)
        let photos = try Python.run(script: "make_image_fixtures.py", [directory]).split(separator: "\n").prefix(2).map { "\(directory)/\($0)" }
        // As the bar writes it: the recipe and labels come from resnet18's manifest.
        let output = try ZooTool.succeed(["classify"] + photos + ["--model", "resnet18", "--weights", weights, "--json"]).output
        let ours = try JSONDecoder().decode(Report.self, from: Data(output.utf8))
        let referenceFile = "\(Self.root)/Tests/Fixtures/checkpoints/resnet18_classify.json"
        let reference = try JSONDecoder().decode(Report.self, from: try Data(contentsOf: URL(fileURLWithPath: referenceFile)))
        #expect(ours.images.map { ($0.file as NSString).lastPathComponent } == reference.images.map(\.file))
        for (image, expected) in zip(ours.images, reference.images) {
            #expect(image.top.map(\.index) == expected.top.map(\.index), "\(image.file)")
            #expect(image.top.allSatisfy { $0.label != nil }, "\(image.file): ImageNet's names from the manifest")
            for (entry, want) in zip(image.top, expected.top) {
                #expect(abs(entry.probability - want.probability) <= 1e-4, "\(image.file) class \(entry.index)")
            }
        }
        try FileManager.default.removeItem(atPath: directory)
    }

    /// Weights fine-tuned on 10 classes (torchvision resnet50 with a 10-class fc) keep the
    /// manifest's recipe but not its 1000 ImageNet names: classes are printed as indices.
    @Test func fineTunedWeightsAreClassifiedWithoutTheManifestsNames() throws {
        let directory = try temporaryDirectory()
        let weights = try Python.run(script: "regenerate_checkpoint.py", ["resnet50_10", directory]).trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try ZooTool.succeed(["classify", Self.digits[0], "--model", "resnet50", "--weights", weights, "--json", "--top", "10"])
        let report = try JSONDecoder().decode(Report.self, from: Data(result.output.utf8))
        #expect(Set(report.images[0].top.map(\.index)) == Set(0..<10))
        #expect(report.images[0].top.allSatisfy { $0.label == nil })
        #expect(result.errors.contains("scores 10 classes, the manifest names 1000: printing class indices"))
        try FileManager.default.removeItem(atPath: directory)
    }

    @Test func refusals() throws {
        let cases: [([String], String)] = [
            (["classify", "/nonexistent/cat.jpg"], "Error: /nonexistent/cat.jpg: cannot read the image: No such file or directory\n"),
            (["classify", "\(Self.root)/Zoo/lenet5/manifest.json"],
             "Error: \(Self.root)/Zoo/lenet5/manifest.json: not a JPEG or PNG image (unknown signature)\n"),
            (["classify", Self.digits[0], "--model", "nin"], "Error: no pretrained weights for 'nin': there is no "),
            (["classify", Self.digits[0], "--model", "/nonexistent/model.onnx"], "Error: /nonexistent/model.onnx: No such file or directory\n"),
            (["classify", Self.digits[0], "--model", "\(Self.root)/Tests/Fixtures/world/squeezenet1_1/model.onnx"],
             "Error: \(Self.root)/Tests/Fixtures/world/squeezenet1_1/model.onnx names no image preprocessing: give --preprocessing grayscale-32, keras-caffe, torchvision-imagenet\n"),
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
