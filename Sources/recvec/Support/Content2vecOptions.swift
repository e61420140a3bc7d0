// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

/// The options of Content2vec (train, evaluate, tune). The metadata itself comes from
/// `--metadata` / `--metadata-fields`.
extension Content2vecConfig.TokenWeighting: ExpressibleByArgument {}

struct Content2vecOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "content2vec: dense content features, one line 'item v1 v2 ...' per item (e.g. image embeddings).",
            valueName: "file"
        )
    )
    var contentVectors: String?

    @Option(
        help: ArgumentHelp(
            "content2vec: pretrained word vectors (word2vec text or binary) for the content words, through a learned projection.",
            valueName: "file"
        )
    )
    var wordVectors: String?

    @Option(help: "content2vec: probability of training an example on its content alone (behaviour part dropped).")
    var contentDropout: Double = 0.5

    @Option(help: "content2vec: content tokens carried by fewer items are dropped.")
    var contentMinCount: Int = 2

    @Option(
        help: ArgumentHelp(
            "content2vec: metadata fields cut into lower-case words (the others give one token per value).",
            valueName: "fields"
        )
    )
    var contentTextFields: String = "title"

    @Flag(
        help:
            "content2vec: subtract the mean item vector from the model's vectors (removes the direction all content vectors share)."
    )
    var contentCentre = false

    @Option(
        help:
            "content2vec: an item's token vectors are averaged with equal weights (mean) or by inverse document frequency (idf)."
    )
    var contentWeighting: Content2vecConfig.TokenWeighting = .mean

    /// The options as their typed configuration, validated.
    func config() throws -> Content2vecConfig {
        var c = Content2vecConfig()
        c.dropout = contentDropout
        c.minCount = contentMinCount
        c.textFields = contentTextFields.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        c.contentVectors = contentVectors
        c.wordVectors = wordVectors
        c.centre = contentCentre
        c.weighting = contentWeighting
        try c.validate()
        return c
    }

    func validate() throws { _ = try FlagNames.mapping { try config() } }
}
