// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// The content side of Content2vec that training updates, besides the kernel's behaviour and output
/// matrices: the content-token vectors, the projection of the dense features, and the (fixed)
/// per-item token lists and features. Owns the memory the ``Content2vecSource`` points into.
final class Content2vecParameters: @unchecked Sendable {
    /// Content-token vectors, one row per token (start at zero).
    let words: EmbeddingMatrix
    /// The projection P, stored transposed: row k is P's column k, the item-space direction of
    /// feature k (starts at zero). `nil` without dense features.
    let projection: EmbeddingMatrix?
    /// Row-major `items × featureStride` features (padding zero); `nil` without dense features.
    let features: EmbeddingMatrix?
    let wordOffsets: UnsafeMutablePointer<Int32>
    let wordIDs: UnsafeMutablePointer<Int32>
    let wordWeights: UnsafeMutablePointer<Float>
    /// 1 when the item has any content (a token or a nonzero feature), else 0.
    let hasContent: UnsafeMutablePointer<UInt8>
    let contentDimension: Int
    let pretrainedDimension: Int
    /// Each token's unit pretrained vector (`words × pretrainedDimension`), row-major.
    let pretrained: [Float]

    init(content: ItemContent, dim: Int) {
        let n = content.items.count
        words = EmbeddingMatrix(rows: max(1, content.words.count), dim: dim)
        let f = content.featureCount
        var x: EmbeddingMatrix? = nil
        if f > 0 {
            let m = EmbeddingMatrix(rows: n, dim: f)
            content.features.withUnsafeBufferPointer { p in
                for i in 0..<n { m.row(i).update(from: p.baseAddress! + i * f, count: f) }
            }
            x = m
        }
        features = x
        projection = f > 0 ? EmbeddingMatrix(rows: f, dim: dim) : nil
        let flags = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, n))
        for i in 0..<n {
            var any = content.wordOffsets[i + 1] > content.wordOffsets[i]
            if let x, !any { any = (0..<f).contains { x.row(i)[$0] != 0 } }
            flags[i] = any ? 1 : 0
        }
        hasContent = flags
        wordOffsets = .allocate(capacity: n + 1)
        wordOffsets.initialize(from: content.wordOffsets, count: n + 1)
        wordIDs = .allocate(capacity: max(1, content.wordIDs.count))
        wordIDs.initialize(from: content.wordIDs, count: content.wordIDs.count)
        wordWeights = .allocate(capacity: max(1, content.wordWeights.count))
        wordWeights.initialize(from: content.wordWeights, count: content.wordWeights.count)
        contentDimension = content.contentDimension
        pretrainedDimension = content.pretrainedDimension
        pretrained = content.pretrained
    }

    deinit {
        wordOffsets.deallocate()
        wordIDs.deallocate()
        wordWeights.deallocate()
        hasContent.deallocate()
    }

    /// The item-space vector of content token `w` alone: its learned vector plus the projection of
    /// its pretrained vector (the content vector of an item whose only token is `w`).
    func wordVector(_ w: Int, into out: UnsafeMutablePointer<Float>) {
        let d = words.stride
        out.update(from: words.row(w), count: d)
        guard let projection, pretrainedDimension > 0 else { return }
        for k in 0..<pretrainedDimension {
            let x = pretrained[w * pretrainedDimension + k]
            if x != 0 { Kernels.axpy(x, projection.row(contentDimension + k), out, count: d) }
        }
    }
}

/// Content2vec's examples (Nedelec, Smirnova & Vasile 2017): every item of a sequence, represented
/// as v_i = b_i + c_i, predicts each item of its window against sampled negatives; the gradient of
/// v_i flows into the behaviour vector b_i, the item's content-token vectors and the projection P.
///
/// Holds raw pointers into a ``Content2vecParameters``, which must outlive training.
struct Content2vecSource: PairSource, @unchecked Sendable {
    @usableFromInline let context: ContextWindow
    let words: UnsafeMutablePointer<Float>
    let projection: UnsafeMutablePointer<Float>?
    let features: UnsafePointer<Float>?
    let featureCount: Int
    let featureStride: Int
    let wordOffsets: UnsafePointer<Int32>
    let wordIDs: UnsafePointer<Int32>
    let wordWeights: UnsafePointer<Float>
    let hasContent: UnsafePointer<UInt8>
    /// Probability of training an example on the content part alone.
    ///
    /// Why drop the behaviour part: a warm item's behaviour vector b_i alone can fit its
    /// co-occurrences, leaving the content part c_i free to stay small or point anywhere — and c_i
    /// is all a cold item has. Training a share of the examples on c_i alone (dropout of the whole
    /// behaviour "modality", as in DropoutNet, Volkovs et al. 2017) forces c_i to predict the
    /// item's context by itself, so that a cold item's c_i lands where warm items with the same
    /// content live. The other examples train b_i + c_i together, and b_i learns the residual that
    /// content cannot explain. Items without content are never dropped (there would be nothing left).
    let dropout: Float

    init(parameters p: Content2vecParameters, window: Int, mode: WindowMode, dropout: Float) {
        context = ContextWindow(window: window, mode: mode)
        words = p.words.base
        projection = p.projection?.base
        features = p.features.map { UnsafePointer($0.base) }
        featureCount = p.contentDimension + p.pretrainedDimension
        featureStride = p.features?.stride ?? 0
        wordOffsets = UnsafePointer(p.wordOffsets)
        wordIDs = UnsafePointer(p.wordIDs)
        wordWeights = UnsafePointer(p.wordWeights)
        hasContent = UnsafePointer(p.hasContent)
        self.dropout = dropout
    }

    func train(_ sequence: SequenceSlice, kernel: inout TrainingKernel) {
        if sequence.count < 2 { return }
        for i in 0..<sequence.count {
            let n = context.collect(sequence, at: i, kernel: &kernel)
            kernel.content2vec(item: sequence[i], contexts: kernel.contexts, count: n, content: self)
        }
    }

    /// c_i: the (weighted) mean of the item's token vectors plus P·f_i, written to `out` (`stride` floats).
    @inline(__always)
    func content(of item: Int, into out: UnsafeMutablePointer<Float>, stride d: Int) {
        Kernels.zero(out, count: d)
        for k in Int(wordOffsets[item])..<Int(wordOffsets[item + 1]) {
            Kernels.axpy(wordWeights[k], words + Int(wordIDs[k]) * d, out, count: d)
        }
        if let features, let projection {
            let x = features + item * featureStride
            for k in 0..<featureCount where x[k] != 0 { Kernels.axpy(x[k], projection + k * d, out, count: d) }
        }
    }

    /// Moves the content parameters of `item` by `g` (the step for c_i): each token vector by its
    /// weight · g (1 / number of tokens for a plain mean), and P's column k by f_ik · g.
    @inline(__always)
    func applyContentStep(_ g: UnsafePointer<Float>, item: Int, stride d: Int) {
        for k in Int(wordOffsets[item])..<Int(wordOffsets[item + 1]) {
            Kernels.axpy(wordWeights[k], g, words + Int(wordIDs[k]) * d, count: d)
        }
        if let features, let projection {
            let x = features + item * featureStride
            for k in 0..<featureCount where x[k] != 0 { Kernels.axpy(x[k], g, projection + k * d, count: d) }
        }
    }
}

extension TrainingKernel {
    /// Content2vec: item `item` (v = b + c, or c alone with probability `content.dropout`) predicts
    /// each of `count` context items, each against its own negatives; v's summed gradient is applied
    /// once, to b (when kept) and to the content parameters.
    @inline(__always)
    mutating func content2vec(item: Int32, contexts ids: UnsafePointer<Int32>, count: Int, content: Content2vecSource) {
        if count == 0 { return }
        let keep = content.dropout == 0 || content.hasContent[Int(item)] == 0 || rng.nextUnitFloat() >= content.dropout
        beginContent2vec(item: item, keepBehaviour: keep, content: content)
        var lossSum: Double = 0
        for c in 0..<count {
            let nt = drawTargets(positive: ids[c])
            content2vecTargets(targetCount: nt, loss: &lossSum)
        }
        endContent2vec(item: item, keepBehaviour: keep, content: content)
        loss += lossSum
        examples += count
    }

    /// One example whose targets are already in `targets` (the first one positive).
    mutating func content2vecStep(
        item: Int32,
        targetCount nt: Int,
        keepBehaviour keep: Bool,
        content: Content2vecSource
    ) {
        beginContent2vec(item: item, keepBehaviour: keep, content: content)
        var lossSum: Double = 0
        content2vecTargets(targetCount: nt, loss: &lossSum)
        endContent2vec(item: item, keepBehaviour: keep, content: content)
        loss += lossSum
        examples += 1
    }

    /// hidden = c_item (+ b_item when kept); gradient = 0.
    @inline(__always)
    func beginContent2vec(item: Int32, keepBehaviour keep: Bool, content: Content2vecSource) {
        content.content(of: Int(item), into: hidden, stride: stride)
        if keep { Kernels.add(input + Int(item) * stride, hidden, count: stride) }
        Kernels.zero(gradient, count: stride)
    }

    /// The logistic loss of `hidden` against the targets: accumulates hidden's step in `gradient`
    /// and moves the output rows.
    @inline(__always)
    func content2vecTargets(targetCount nt: Int, loss: inout Double) {
        for t in 0..<nt {
            let u = output + Int(targets[t]) * stride
            let g = logisticGradient(hidden, u, isPositive: t == 0, alpha: alpha, loss: &loss)
            Kernels.axpy(g, u, gradient, count: stride)
            Kernels.axpy(g, hidden, u, count: stride)
        }
    }

    /// Applies hidden's accumulated step to b_item (when kept) and the item's content parameters.
    @inline(__always)
    func endContent2vec(item: Int32, keepBehaviour keep: Bool, content: Content2vecSource) {
        if keep { Kernels.add(gradient, input + Int(item) * stride, count: stride) }
        content.applyContentStep(gradient, item: Int(item), stride: stride)
    }
}
