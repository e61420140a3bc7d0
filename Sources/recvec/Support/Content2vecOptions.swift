// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

/// The options of Content2vec (train, evaluate, tune). The metadata itself comes from
/// `--metadata` / `--metadata-fields`.
extension Content2vecConfig.TokenWeighting: ExpressibleByArgument {}
extension Content2vecConfig.Encoder: ExpressibleByArgument {}

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

    @Option(
        help:
            "content2vec: mean (behaviour + mean of token vectors, trained by skip-gram) or cnn (as published: CF, TextCNN and dense modules trained on co-occurring pairs with Adagrad)."
    )
    var contentEncoder: Content2vecConfig.Encoder = .mean

    @Option(help: ArgumentHelp("content2vec cnn: convolution widths in tokens.", valueName: "widths"))
    var cnnWidths: String = "1,2,3"

    @Option(help: "content2vec cnn: filters per width.")
    var cnnFilters: Int = Content2vecCNNConfig().filters

    @Option(help: "content2vec cnn: dimension of the learned word vectors (pretrained ones keep theirs).")
    var cnnWordDim: Int = Content2vecCNNConfig().wordDimension

    @Option(help: "content2vec cnn: dropout on the pooled text features.")
    var cnnDropout: Double = Content2vecCNNConfig().textDropout

    @Option(help: "content2vec cnn: positive pairs per minibatch.")
    var cnnBatch: Int = Content2vecCNNConfig().batch

    @Option(help: "content2vec cnn: Adagrad step size.")
    var cnnRate: Double = Content2vecCNNConfig().learningRate

    @Option(help: "content2vec cnn: passes over the co-occurring pairs (after prod2vec's --epochs).")
    var cnnEpochs: Int = Content2vecCNNConfig().epochs

    @Option(help: "content2vec cnn: summed weight of a pair's shared negatives against its positive's 1.")
    var cnnNegativeWeight: Double = Content2vecCNNConfig().negativeWeight

    @Option(help: "content2vec cnn: an item's first N content tokens go through the convolutions.")
    var cnnMaxTokens: Int = Content2vecCNNConfig().maxTokens

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
        if contentEncoder == .cnn {
            var n = Content2vecCNNConfig()
            let widths = cnnWidths.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            n.widths = try widths.map { w in
                guard let v = Int(w) else {
                    throw ConfigurationError(setting: "cnn_widths", "'\(w)' is not a whole number (got '\(cnnWidths)')")
                }
                return v
            }
            n.filters = cnnFilters
            n.wordDimension = cnnWordDim
            n.textDropout = cnnDropout
            n.batch = cnnBatch
            n.learningRate = cnnRate
            n.epochs = cnnEpochs
            n.maxTokens = cnnMaxTokens
            n.negativeWeight = cnnNegativeWeight
            c.cnn = n
        }
        try c.validate()
        return c
    }

    func validate() throws { _ = try FlagNames.mapping { try config() } }
}
