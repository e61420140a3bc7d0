// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// user-prod2vec (Grbovic et al. 2015): a user vector as global context, trained with the
/// products (PV-DM over users; tokens `user:ID`).
public enum UserProd2VecDefinition: ParagraphVectorDefinition {
    public static let name: ModelName = "user-prod2vec"
    public static let aliases: [String] = []
    public static let summary = "a user vector as global context of the user's items (PV-DM over users)"
    public static let reference = "Grbovic et al. 2015"
    public static let distributedMemory = true
    public static let documentSection = TokenKind.user
    public static let tuning: TuningSpace? = paragraphTuning()
}

extension ModelName {
    /// ``UserProd2VecDefinition``.
    public static let userProd2vec = UserProd2VecDefinition.name
}
