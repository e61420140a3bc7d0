// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Testing

@testable import RecVecCore

/// Item cold start: hidden items leave training but stay targets; the cold-start view restricts
/// the metrics to rarely-seen targets.
struct ColdStartTests {
    /// 200 baskets over 30 items, 5 items each.
    func data() -> Interactions {
        var rng = FastRandom(seed: 11)
        let sequences = (0..<200).map { _ in (0..<5).map { _ in Int32(rng.next(below: 30)) } }
        return Interactions(items: (0..<30).map { "i\($0)" }, sequences: sequences)
    }

    @Test func hiddenItemsLeaveTrainingButStayTargets() throws {
        var options = ProtocolOptions()
        options.hideItems = 0.2
        let split = try Splitter.split(data(), protocol: .basket, options: options)
        #expect(split.hidden.count == 6)
        #expect(split.train.allSatisfy { $0.allSatisfy { !split.hidden.contains($0) } })
        #expect(split.cases.contains { split.hidden.contains($0.target) })
        // The validation split carved from it hides nothing more and never sees the hidden items.
        let validation = try Splitter.validation(of: split, items: data().items, protocol: .basket, options: options)
        #expect(validation.hidden.isEmpty)
        #expect(validation.train.allSatisfy { $0.allSatisfy { !split.hidden.contains($0) } })
    }

    @Test func coldStartViewCountsOnlyRareTargets() throws {
        var settings = EvaluationSettings(protocolName: .basket)
        settings.protocolOptions.hideItems = 0.2
        settings.coldStart = 0
        settings.cutoffs = [5]
        let report = try EvaluationRun.run(data: data(), settings: settings, models: [PopularityModel()])
        let cold = try #require(report.coldStart)
        #expect(report.hiddenItems == 6)
        #expect(cold.testCases > 0 && cold.testCases < report.testCases)
        // Popularity never recommends an item it has not seen: no hit on hidden targets.
        #expect(cold.results[0].metrics["hr@5"] == 0)
        #expect(report.results[0].metrics["hr@5"]! > 0)
    }

    @Test func badFractionIsAnError() {
        var options = ProtocolOptions()
        options.hideItems = 1
        #expect(throws: ConfigurationError.self) { try options.validate() }
    }
}
