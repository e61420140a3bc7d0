// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

struct EvaluateAnalogiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate-analogies",
        abstract:
            "Accuracy on word-analogy questions (questions-words.txt), scored like gensim's evaluate_word_analogies."
    )

    @Argument(help: "A RecVec model, or word2vec vectors.")
    var model: String

    @Argument(help: "The questions file: ': section' lines and 'a b c d' questions.")
    var questions: String

    @Option(help: "Use only the N most frequent tokens; questions with other words are skipped.")
    var restrict: Int = 30_000

    @Option(help: "Threads for the search (default: all cores).")
    var threads: Int?

    @Flag(help: "Print JSON.")
    var json = false

    struct Output: Encodable {
        var accuracy: Double
        var correct: Int
        var total: Int
        var skipped: Int
        var sections: [String: Double]
        var sectionCounts: [String: [Int]]

        enum CodingKeys: String, CodingKey {
            case accuracy, correct, total, skipped, sections
            case sectionCounts = "section_counts"
        }
    }

    func run() throws {
        guard restrict >= 1 else { throw ConfigurationError(setting: "restrict", "must be at least 1") }
        if let threads, threads < 1 { throw ConfigurationError(setting: "threads", "must be at least 1") }
        let neighbors = NearestNeighbors(model: try loadModel(model))
        let r = try AnalogyEvaluation.evaluate(
            neighbors,
            questionsFile: questions,
            restrict: restrict,
            threads: threads
        )
        if json {
            var sections: [String: Double] = [:]
            var counts: [String: [Int]] = [:]
            for s in r.sections {
                sections[s.name] = s.accuracy
                counts[s.name] = [s.correct, s.total]
            }
            try printJSON(
                Output(
                    accuracy: r.accuracy,
                    correct: r.correct,
                    total: r.total,
                    skipped: r.skipped,
                    sections: sections,
                    sectionCounts: counts
                )
            )
            return
        }
        for s in r.sections {
            print(
                s.name.padding(toLength: 30, withPad: " ", startingAt: 0)
                    + String(format: "%6.2f%%  (%d/%d)", s.accuracy * 100, s.correct, s.total)
            )
        }
        print(
            "total".padding(toLength: 30, withPad: " ", startingAt: 0)
                + String(
                    format: "%6.2f%%  (%d/%d; %d questions skipped)",
                    r.accuracy * 100,
                    r.correct,
                    r.total,
                    r.skipped
                )
        )
    }
}
