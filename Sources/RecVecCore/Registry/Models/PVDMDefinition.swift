// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// PV-DM (Le & Mikolov 2014): the document vector joins the context window in predicting each item.
public enum PVDMDefinition: ParagraphVectorDefinition {
    public static let name: ModelName = "pv-dm"
    public static let aliases: [String] = []
    public static let summary = "paragraph vectors, distributed memory: document vector + context predict the item"
    public static let reference = "Le & Mikolov 2014"
    public static let distributedMemory = true
    public static let documentSection = TokenKind.document
    public static let tuning: TuningSpace? = paragraphTuning()
}

extension ModelName {
    /// ``PVDMDefinition``.
    public static let pvDM = PVDMDefinition.name
}
