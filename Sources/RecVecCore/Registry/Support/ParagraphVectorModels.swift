// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// What PV-DBOW, PV-DM and user-prod2vec share: configuration, training, evaluation, tuning.
extension ParagraphVectorDefinition {
    public static var family: ModelFamily { .embedding }
    public static var needs: ModelNeeds { [.sequenceIDs] }
    public static var offers: ModelOffers {
        [documentSection == .user ? .userVectors : .documentVectors, .inference]
    }

    public static func configuration(_ s: ModelSettings) -> TrainingConfig {
        var t = s.engine(model: name, architecture: s.training.architecture)
        t.paragraph = s.paragraph
        if s.sequenceOptions != SequenceOptionsConfig() { t.sequenceOptions = s.sequenceOptions }
        return t
    }

    /// Scores items against a test history's inferred vector (dual by default: what the
    /// objectives train).
    public static func recommender(_ s: ModelSettings) throws -> ParagraphVectorModel {
        ParagraphVectorModel(
            name: name.rawValue,
            training: configuration(s),
            minCount: s.minCount,
            scoring: s.paragraphScoring ?? .dual,
            lastN: s.weighting.lastN
        )
    }

    public static func train(
        _ corpus: Corpus,
        trainer: Trainer,
        inputs: ModelInputs,
        onEvent: (@Sendable (TrainingEvent) -> Void)?
    ) throws -> EmbeddingModel {
        try trainer.trainParagraphVectors(
            corpus,
            distributedMemory: distributedMemory,
            section: documentSection,
            onEvent: onEvent
        )
    }

    /// The engine's space, plus (for PV-DBOW) whether item vectors train too, the inference
    /// passes and the scoring.
    static func paragraphTuning() -> TuningSpace {
        EngineModels.tuning { o, rng in
            var p = ParagraphVectorConfig()
            p.trainTokens = distributedMemory || rng.next(below: 2) == 0
            let inferEpochs = [10, 20, 40]
            p.inferEpochs = inferEpochs[rng.next(below: inferEpochs.count)]
            o.paragraph = p
            o.paragraphScoring =
                RecommendationScoring.vectorScorings[
                    rng.next(below: RecommendationScoring.vectorScorings.count)
                ]
        }
    }
}
