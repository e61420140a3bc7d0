// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train item2vec on the bundled MovieLens sample and show the neighbours of well-known films."
    )

    @Option(help: "A folder with sequences.tsv and metadata.tsv (default: the bundled MovieLens latest-small sample).")
    var data: String?

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(help: "Passes over the data.")
    var epochs: Int = 20

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Also save the trained model here.")
    var output: String?

    static let films = [
        "Toy Story (1995)", "Matrix, The (1999)", "Star Wars: Episode IV - A New Hope (1977)",
        "Pulp Fiction (1994)", "Lord of the Rings: The Fellowship of the Ring, The (2001)", "Finding Nemo (2003)",
    ]

    func run() throws {
        let folder = try data ?? Self.bundledFolder()
        if let output { try checkWritable(output, option: "--output") }
        let sequencesPath = folder + "/sequences.tsv"
        let metadata = try ItemMetadata.read(path: folder + "/metadata.tsv")
        let corpus = try EventFileReader.read(path: sequencesPath, options: ReadOptions(minCount: 5))
        print(
            "MovieLens latest-small: \(corpus.rawTokenCount) ratings by \(corpus.sequences.count) users; "
                + "\(corpus.vocabulary.count) of \(corpus.rawVocabularySize) films rated at least 5 times."
        )

        var config = TrainingConfig()
        config.architecture = .skipGram
        config.dim = 64
        config.window = 20
        config.epochs = epochs
        config.threads = threads
        config.seed = seed
        let model = try Trainer(config: config).train(corpus)
        let summary = model.summary!
        print(
            "item2vec (skip-gram, dim 64, window 20, \(epochs) epochs): "
                + String(format: "%.2f s", summary.trainSeconds) + ", " + Format.count(summary.tokensPerSecond)
                + " ratings/s, final loss " + String(format: "%.3f", summary.epochLosses.last ?? 0)
        )
        if let output {
            try ModelFile.write(model, to: output)
            print("saved the model to \(output)")
        }

        let neighbors = NearestNeighbors(model: model)
        for title in Self.films {
            guard let item = metadata.items(where: "title", matches: title).first,
                model.vocabulary.id(of: item) != nil
            else { continue }
            print("\nMost similar to \(title):")
            for (rank, n) in try neighbors.similar(to: [item], top: 5).enumerated() {
                let name = metadata.value("title", of: n.token) ?? n.token
                print("  \(rank + 1). \(name)  (\(formatScore(n.score)))")
            }
        }
        print(
            "\nNext: recvec train --input FILE --format events --output model.rvmodel; recvec similar model.rvmodel ITEM"
        )
    }

    static func bundledFolder() throws -> String {
        guard let url = Bundle.module.url(forResource: "SampleData", withExtension: nil) else {
            throw ConfigurationError(setting: "data", "the bundled sample data is missing; pass --data DIR")
        }
        return url.appendingPathComponent("movielens").path
    }
}
