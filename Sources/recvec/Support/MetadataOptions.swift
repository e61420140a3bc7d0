// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import ArgumentParser
import Foundation
import RecVecCore

/// Item side information: an `item_id field value` TSV (meta-prod2vec, content2vec, group negatives).
struct MetadataOptions: ParsableArguments {
    @Option(help: "Item side information: a TSV with a header and rows 'item_id<TAB>field<TAB>value'.")
    var metadata: String?

    @Option(help: ArgumentHelp("The metadata fields to use, comma-separated (default: all).", valueName: "fields"))
    var metadataFields: String?

    /// The field names given, in order.
    var fields: [String] {
        (metadataFields ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
    }

    /// Reads the metadata file, if one was given.
    func read() throws -> ItemMetadata? {
        try metadata.map { try ItemMetadata.read(path: $0, requiring: fields) }
    }
}
