// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

extension Word2VecFormat: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a model's vectors in word2vec format (text or binary), readable by gensim and others."
    )

    @Argument(help: "A RecVec model.")
    var model: String

    @Option(help: "word2vec-text or word2vec-binary.")
    var format: Word2VecFormat = .text

    @Option(name: .long, help: "The file to write.")
    var output: String

    func run() throws {
        try checkWritable(output, option: "--output")
        let m = try ModelFile.read(from: model)
        try Word2VecFormat.write(m, to: output, format: format)
        printError("wrote \(m.vocabulary.count) vectors of dimension \(m.dim) to \(output) (\(format.rawValue))")
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert word2vec vectors (text or binary, e.g. from gensim) into a RecVec model."
    )

    @Argument(help: "The word2vec file.")
    var file: String

    @Option(help: "word2vec-text or word2vec-binary (default: detected).")
    var format: Word2VecFormat?

    @Option(name: .long, help: "The model file to write.")
    var output: String

    func run() throws {
        try checkWritable(output, option: "--output")
        let m = try Word2VecFormat.read(from: file, format: format)
        try ModelFile.write(m, to: output)
        printError("imported \(m.vocabulary.count) vectors of dimension \(m.dim) into \(output)")
    }
}
