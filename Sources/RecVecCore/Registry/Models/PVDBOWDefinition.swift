// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// PV-DBOW (Le & Mikolov 2014): a vector per document (user, session, line) that predicts the
/// document's items; item vectors train alongside by skip-gram unless `--documents-only`.
public enum PVDBOWDefinition: ParagraphVectorDefinition {
    public static let name: ModelName = "pv-dbow"
    public static let aliases: [String] = []
    public static let summary = "paragraph vectors, distributed bag of words: a document vector predicts its items"
    public static let reference = "Le & Mikolov 2014"
    public static let distributedMemory = false
    public static let documentSection = TokenKind.document
    public static let tuning: TuningSpace? = paragraphTuning()
}

extension ModelName {
    /// ``PVDBOWDefinition``.
    public static let pvDBOW = PVDBOWDefinition.name
}
