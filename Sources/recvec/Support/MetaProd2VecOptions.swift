// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import RecVecCore

/// The options of Meta-Prod2Vec and of group negatives (train, evaluate, tune).
struct MetaProd2VecOptions: ParsableArguments {
    @Option(help: "Meta-Prod2Vec: λ, the weight of the four side-information terms (M|I, J|M, M|M, I|M).")
    var metaLambda: Double = 1

    @Option(
        help: "Meta-Prod2Vec: λ of M|I (the centre item predicts its context items' metadata); default --meta-lambda."
    )
    var metaLambdaMi: Double?

    @Option(help: "Meta-Prod2Vec: λ of J|M (the centre's metadata predict the context items); default --meta-lambda.")
    var metaLambdaJm: Double?

    @Option(
        help:
            "Meta-Prod2Vec: λ of M|M (the centre's metadata predict the context items' metadata); default --meta-lambda."
    )
    var metaLambdaMm: Double?

    @Option(help: "Meta-Prod2Vec: λ of I|M (an item's own metadata predict it); default --meta-lambda.")
    var metaLambdaIm: Double?

    @Option(help: "Meta-Prod2Vec: drop metadata values whose items occur fewer times than this in the input.")
    var metaMinCount: Int = 1

    @Option(help: "Meta-Prod2Vec: at most this many metadata values per item, the most frequent first (0 = all).")
    var metaMaxValues: Int = 10

    @Option(
        help: ArgumentHelp(
            "K extra negatives per positive from the target's own group: the items sharing its first value of metadata FIELD (skip-gram models and meta-prod2vec; needs --metadata).",
            valueName: "FIELD:K"
        )
    )
    var groupNegatives: String?

    /// The options as their typed configuration, validated.
    func config() throws -> MetaProd2VecConfig {
        var meta = MetaProd2VecConfig()
        meta.lambda = metaLambda
        meta.lambdaMI = metaLambdaMi
        meta.lambdaJM = metaLambdaJm
        meta.lambdaMM = metaLambdaMm
        meta.lambdaIM = metaLambdaIm
        meta.minCount = metaMinCount
        meta.maxValuesPerItem = metaMaxValues
        meta.groupNegatives = try groupNegatives.map { try GroupNegativesConfig(parsing: $0) }
        try meta.validate()
        return meta
    }

    func validate() throws { _ = try FlagNames.mapping { try config() } }
}

extension MetaProd2VecOptions {
    /// A one-line note on what the side information covers (metadata rows for unknown items are
    /// ignored), or `nil` when there is nothing to say.
    static func note(corpus: Corpus, inputs: ModelInputs, config: TrainingConfig) -> String? {
        guard let metadata = inputs.metadata, let meta = config.meta,
            (try? ModelRegistry.definition(for: config))?.allOffers.contains(.metadataVectors) == true,
            let joint = try? MetadataVocabulary(
                items: corpus.vocabulary,
                metadata: metadata,
                fields: inputs.metadataFields,
                minCount: meta.minCount,
                maxValuesPerItem: meta.maxValuesPerItem
            )
        else { return nil }
        var parts = ["metadata: \(joint.vocabulary.count - joint.itemCount) values kept"]
        if joint.droppedValues > 0 { parts.append("\(joint.droppedValues) dropped by --meta-min-count") }
        parts.append(
            "\(joint.itemsWithoutMetadata) of \(joint.itemCount) items without metadata (trained as in prod2vec)"
        )
        if joint.unknownItemRows > 0 {
            parts.append("\(joint.unknownItemRows) rows for items not in the vocabulary ignored")
        }
        return "note: " + parts.joined(separator: ", ")
    }
}
