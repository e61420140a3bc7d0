// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

extension EventFileReader {
    /// The corpus of a log parsed to temporary files (``ReadOptions/spill``), itself written to
    /// temporary files and mapped: the same corpus ``sequences(of:path:events:options:)`` makes
    /// in memory, for 4 bytes an event of memory (the order) and the tables of items and groups.
    ///
    /// The vocabulary is known once the log is parsed (its counts are the raw counts), so one walk
    /// along the order gathers each event from the mapped columns and appends it, renumbered and
    /// filtered, to the output — instead of the in-memory path's rearranging in place and
    /// renumbering afterwards. Sequences are cut exactly as ``CorpusBuilder`` cuts them: a new
    /// one at each group and session gap, a new piece every `maxSequenceLength` events of the
    /// input (dropped tokens included), baskets numbered over every event of a piece, and
    /// sequences left empty by the vocabulary dropped.
    static func spilledSequences(
        of parsed: EventLogColumns,
        path: String,
        events: EventOptions,
        options: ReadOptions
    ) throws -> Corpus {
        var log = parsed
        let itemIDs = try log.itemIDs.finish()
        let groupIDs = try log.groupIDs.finish()
        let times = try log.times.finish()
        let basketIDs = try log.baskets.finish()
        let weights = try log.weights.finish()
        let isContextEvent = try log.isContextEvent.finish()
        let n = itemIDs.count
        let groupCount = log.groups.count
        let rawVocabulary = log.items.count
        let (vocabulary, remap) = try CorpusBuilder.vocabulary(
            of: log.items,
            minCount: options.minCount,
            maxVocab: options.maxVocab,
            file: path
        )
        log.items = TokenInterner(capacity: 16)

        let order = groupIDs.withUnsafeBufferPointer { g in
            times.withUnsafeBufferPointer { t in EventOrder(groups: g, times: t, groupCount: groupCount) }
        }
        // The global-context item of each group: its last event of the chosen type, in order.
        var contextOfGroup: [Int32] = []
        if log.hasContextEvent {
            contextOfGroup = [Int32](repeating: -1, count: groupCount)
            for k in 0..<n {
                let e = Int(order.indices[k])
                if isContextEvent[e] { contextOfGroup[Int(groupIDs[e])] = itemIDs[e] }
            }
        }

        let hasBaskets = log.hasBasketColumn || events.basketsByTime
        var tokens = try FlatArray<Int32>.Builder(spilled: true)
        var offsets = try FlatArray<Int>.Builder(spilled: true)
        var keptTimes = log.hasTime ? try FlatArray<Double>.Builder(spilled: true) : nil
        var keptBaskets = hasBaskets ? try FlatArray<Int32>.Builder(spilled: true) : nil
        var keptWeights = log.hasWeight ? try FlatArray<Float>.Builder(spilled: true) : nil
        var keptContext: FlatArray<Int32>.Builder? = log.hasContextEvent ? try .init(spilled: true) : nil
        var keptKeys: [Int32] = []
        offsets.append(0)

        // The piece being cut: its group, global-context item (provisional id), events of the
        // input and tokens kept.
        var key: Int32 = -1
        var context: Int32 = -1
        var pieceEvents = 0
        var pieceKept = 0
        func closePiece() {
            if pieceKept > 0 {
                offsets.append(tokens.count)
                keptKeys.append(key)
                keptContext?.append(context >= 0 ? remap[Int(context)] : -1)
            }
            pieceEvents = 0
            pieceKept = 0
        }
        var basketNumbers = Baskets()
        var previous: (group: Int32, time: Double) = (-1, 0)
        for k in 0..<n {
            let e = Int(order.indices[k])
            let group = groupIDs[e]
            let time = times[e]
            var newSequence = k == 0 || group != previous.group
            if !newSequence, let gap = events.sessionGap, time - previous.time > gap { newSequence = true }
            if newSequence {
                if k > 0 { closePiece() }
                key = group
                context = log.hasContextEvent ? contextOfGroup[Int(group)] : -1
                basketNumbers.startSequence()
            }
            if pieceEvents >= options.maxSequenceLength {
                closePiece()
                basketNumbers.startSequence()
            }
            pieceEvents += 1
            let basket = hasBaskets ? basketNumbers.next(log.hasBasketColumn ? Double(basketIDs[e]) : time) : 0
            let id = remap[Int(itemIDs[e])]
            if id >= 0 {
                tokens.append(id)
                keptTimes?.append(time)
                keptBaskets?.append(basket)
                keptWeights?.append(weights[e])
                pieceKept += 1
            }
            previous = (group, time)
        }
        closePiece()

        var corpus = Corpus(
            vocabulary: vocabulary,
            sequences: Sequences(tokens: try tokens.finish(), offsets: try offsets.finish()),
            rawTokenCount: n,
            rawVocabularySize: rawVocabulary
        )
        corpus.times = try keptTimes?.finish()
        corpus.baskets = try keptBaskets?.finish()
        corpus.weights = try keptWeights?.finish()
        corpus.contextItems = try keptContext?.finish()
        (corpus.documents, corpus.sequenceDocuments) = CorpusBuilder.documents(of: keptKeys, keys: log.groups)
        return corpus
    }
}
