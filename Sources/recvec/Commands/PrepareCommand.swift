// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

struct PrepareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract:
            "Read an input once and write it as a prepared corpus (.rvcorpus) that every command reads memory-mapped.",
        discussion: """
            The prepared corpus holds the vocabulary and counts, the token ids, the sequences, and what the events \
            carry (times, baskets, weights, global-context items, user or session ids), checksummed. train, evaluate \
            and tune accept it as --input without reading the text again; training maps it, so its memory stays \
            near the model's size whatever the corpus's. The data options given here (format, columns, session gap, \
            --max-sequence-length) are fixed in the file; a command reading it may filter the vocabulary further \
            (a higher --min-count, a smaller --max-vocab) but not bring back tokens dropped here.
            """
    )

    @OptionGroup var input: InputOptions

    @Option(
        name: .long,
        help: "The prepared corpus to write (e.g. data.rvcorpus; written to a temporary file, then renamed)."
    )
    var output: String

    @Flag(
        help:
            "sequences: keep each line's number as its id (paragraph vectors need sequence ids; event logs always keep their users or sessions)."
    )
    var keepLineIds = false

    @Flag(
        help:
            "Hold the parse in memory (about 21 bytes an event of an event log, 7 a token of a sequences file) instead of in temporary files in $TMPDIR (4 bytes an event, 4 a sequence, the rest on disk)."
    )
    var inMemory = false

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func run() throws {
        try input.readOptions.validate()
        try checkWritable(output, option: "--output")
        let start = Date()
        let format = input.resolvedFormat
        // The parse (an event log's or a sequences file's) is held in temporary files ($TMPDIR), not in memory.
        let corpus = try input.read(keepSequenceIDs: keepLineIds || format != .sequences, spill: !inMemory)
        let readSeconds = Date().timeIntervalSince(start)
        var description = PreparedCorpusDescription(
            input: input.input,
            sources: try PreparedCorpusDescription.sources(of: input.input),
            format: format.rawValue,
            minCount: input.minCount,
            maxVocab: input.maxVocab,
            maxSequenceLength: input.maxSequenceLength,
            options: input.describedOptions()
        )
        if PreparedCorpus.isPreparedCorpus(input.input) {
            // A prepared corpus filtered further: what it was made from, with the new filters.
            // (input.read has just verified the file: its description is read from the header.)
            let original = try PreparedCorpus.storedDescription(at: input.input)
            description.input = original.input
            description.sources = original.sources
            description.format = original.format
            description.maxSequenceLength = original.maxSequenceLength
            description.options = original.options
        }
        let writeStart = Date()
        try PreparedCorpus.write(corpus, description: description, to: output)
        if !quiet {
            let size = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
            printError(
                "read \(input.input): \(corpus.rawTokenCount) tokens, \(corpus.sequences.count) sequences, "
                    + "vocabulary \(corpus.vocabulary.count) of \(corpus.rawVocabularySize) distinct tokens "
                    + String(format: "(%.2f s)", readSeconds)
            )
            printError(
                "wrote \(output): " + Format.count(Double(size)) + "B"
                    + String(format: " (%.2f s)", Date().timeIntervalSince(writeStart))
            )
        }
    }
}
