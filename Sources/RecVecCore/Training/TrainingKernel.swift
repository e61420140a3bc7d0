// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import _RecVecShims

/// The one update rule every model trains through: logistic loss with negative sampling
/// (SGNS, Mikolov et al. 2013b) on raw pointers into the shared matrices.
///
/// Each training thread owns one kernel (its scratch buffers, random generator and loss sums); all
/// kernels write the same input and output matrices without locks (Hogwild, Recht et al. 2011).
/// Nothing here allocates or reference-counts.
///
/// For a positive pair (input vector v, output vector u_o) and negatives u_1…u_k the loss is
///
///     L = −log σ(v·u_o) − Σ_j log σ(−v·u_j)
///
/// and one SGD step moves each vector by −α ∂L/∂(vector).
///
/// The same calls train the other two output layers (``TrainingLoss``):
/// ``skipGram(center:contexts:count:weight:)`` and ``cbow(center:contexts:count:mean:weight:)``
/// switch once per call (per window) on the kernel's loss, so the per-pair loops of each layer are
/// separate, specialised code — the negative-sampling loop is unchanged by the other two.
public struct TrainingKernel: @unchecked Sendable {
    @usableFromInline let input: UnsafeMutablePointer<Float>
    @usableFromInline let output: UnsafeMutablePointer<Float>
    @usableFromInline let stride: Int
    @usableFromInline let negative: Int
    @usableFromInline let sampler: NegativeSampler
    @usableFromInline let sigmoid = SigmoidTable.shared
    /// The output layer (negative sampling unless told otherwise).
    public let objective: TrainingLoss
    /// Hierarchical softmax: the tree's flat paths (see ``HuffmanTree``); `nil` otherwise.
    @usableFromInline let treeOffsets: UnsafeMutablePointer<Int32>?
    @usableFromInline let treePoints: UnsafeMutablePointer<Int32>?
    @usableFromInline let treeCodes: UnsafeMutablePointer<UInt8>?
    /// Keeps the tree's buffers alive.
    let tree: HuffmanTree?
    /// The level of the C kernels hierarchical softmax and negative sampling run on
    /// (``VectorKernel``; 0: the Swift loops) and the columns they touch: the dimension rounded up
    /// to 8 (the rest of a row is zero padding), on AVX-512 to 16 (the stride), so that its
    /// 16-float vectors need no ragged tail.
    @usableFromInline let vectorLevel: Int32
    @usableFromInline let vectorColumns: Int
    /// Full softmax: the tokens the softmax runs over (rows `0..<classes` of the output matrix);
    /// 0 otherwise.
    @usableFromInline let classes: Int
    /// Full softmax scratch: `outputBlock × classes` scores, then `outputBlock × stride` input
    /// gradients, and the `outputBlock` input rows of a block. Hierarchical softmax keeps the
    /// `outputBlock × maxDepth` scores (then steps) of a block in `scores`.
    @usableFromInline let scores: UnsafeMutablePointer<Float>
    @usableFromInline let blockGradients: UnsafeMutablePointer<Float>
    @usableFromInline let blockRows: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    /// Negative sampling on the C kernels: the rows of a window's targets.
    @usableFromInline let targetRows: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>
    /// Row-wise Adagrad (``Optimizer/adagrad``): one accumulator per row of the input and of the
    /// output matrix, shared by all threads like the matrices (Hogwild); `nil` under SGD.
    @usableFromInline let inputAccumulators: UnsafeMutablePointer<Float>?
    @usableFromInline let outputAccumulators: UnsafeMutablePointer<Float>?
    /// 1 / dim: row-wise Adagrad's mean over a row's coordinates (the padding up to `stride` is 0).
    @usableFromInline let inverseDim: Float
    /// Keeps the accumulators alive.
    let adagradStorage: AdagradAccumulators?

    /// Scratch: targets (centre + negatives), the input-side gradient, the hidden vector, the
    /// accumulated output-side gradients (hierarchical softmax: or a block's input-side ones), and
    /// the context ids of one window.
    @usableFromInline let targets: UnsafeMutablePointer<Int32>
    /// The `negative` draws of the next window, made (and their rows prefetched) one window ahead so
    /// that their cache misses overlap this window's arithmetic, and the random words of the window
    /// after it (their sampler table entries prefetched); valid when `hasPendingNegatives`.
    @usableFromInline let pendingNegatives: UnsafeMutablePointer<Int32>
    @usableFromInline let pendingRandom: UnsafeMutablePointer<UInt64>
    @usableFromInline var hasPendingNegatives = false
    @usableFromInline let gradient: UnsafeMutablePointer<Float>
    @usableFromInline let hidden: UnsafeMutablePointer<Float>
    @usableFromInline let outputGradients: UnsafeMutablePointer<Float>
    /// Room for the context ids of one window (the longest sequence).
    public let contexts: UnsafeMutablePointer<Int32>
    public let contextCapacity: Int

    /// This thread's random generator (windows, negatives, sub-sampling).
    public var rng: FastRandom
    /// The current learning rate.
    public var alpha: Float
    /// Loss summed over this kernel's examples since the last reset (double precision: never saturates).
    public var loss: Double = 0
    /// Positive examples seen since the last reset.
    public var examples: Int = 0

    /// Creates a kernel over `input`/`output` (same shape), drawing negatives from `sampler`.
    ///
    /// `loss` picks the output layer: ``TrainingLoss/hierarchical`` needs `tree` (whose inner
    /// node `n` is output row `n`), ``TrainingLoss/softmax`` runs over output rows `0..<classes`
    /// (the sampler's tokens when `nil`). Targets must be tokens of the tree or the softmax.
    /// `adagrad` (negative sampling only) switches skip-gram and CBOW to row-wise Adagrad; the
    /// choice is made once per window, so the SGD loops are untouched. `vectorKernel` picks the
    /// code hierarchical softmax and negative sampling under SGD run on: ``VectorKernel/portable``
    /// the Swift loops, ``VectorKernel/avx2`` or ``VectorKernel/avx512`` their C kernels (the
    /// results agree within float rounding).
    /// Row-wise Adagrad and the full softmax always run the Swift loops.
    ///
    /// - Precondition: `vectorKernel` is one this CPU supports (``VectorKernel/isSupported``).
    public init(
        input: EmbeddingMatrix,
        output: EmbeddingMatrix,
        negative: Int,
        sampler: NegativeSampler,
        contextCapacity: Int,
        seed: UInt64,
        alpha: Float,
        loss: TrainingLoss = .negative,
        tree: HuffmanTree? = nil,
        classes: Int? = nil,
        adagrad: AdagradAccumulators? = nil,
        vectorKernel: VectorKernel = .active
    ) {
        precondition(vectorKernel.isSupported, "the CPU cannot run the \(vectorKernel.rawValue) kernel")
        precondition(input.stride == output.stride && input.rows == output.rows)
        precondition(
            adagrad == nil
                || (loss == .negative && adagrad!.inputRows >= input.rows && adagrad!.outputRows >= output.rows),
            "row-wise Adagrad trains negative sampling, with one accumulator per row"
        )
        adagradStorage = adagrad
        inverseDim = 1 / Float(input.dim)
        inputAccumulators = adagrad?.input
        outputAccumulators = adagrad?.output
        self.input = input.base
        self.output = output.base
        self.stride = input.stride
        self.negative = negative
        self.sampler = sampler
        self.rng = FastRandom(seed: seed)
        self.alpha = alpha
        self.contextCapacity = max(1, contextCapacity)
        objective = loss
        vectorLevel = vectorKernel.level
        vectorColumns = vectorKernel == .avx512 ? input.stride : (input.dim + 7) / 8 * 8
        if loss == .hierarchical {
            precondition(tree != nil && tree!.innerCount <= output.rows, "hierarchical softmax needs a tree that fits")
            self.tree = tree
            treeOffsets = tree!.offsets
            treePoints = tree!.points
            treeCodes = tree!.codes
        } else {
            self.tree = nil
            treeOffsets = nil
            treePoints = nil
            treeCodes = nil
        }
        let softmaxClasses = loss == .softmax ? (classes ?? sampler.count) : 0
        precondition(softmaxClasses <= output.rows, "the softmax runs over rows of the output matrix")
        self.classes = softmaxClasses
        let depth = self.tree?.maxDepth ?? 0
        let outputRows = max(negative + 1, depth)
        // Every buffer on lines of its own: the other threads write theirs on every window too.
        scores = ThreadScratch.allocate(count: max(outputRows, Self.outputBlock * max(softmaxClasses, depth)))
        blockGradients = ThreadScratch.allocate(count: loss == .softmax ? Self.outputBlock * input.stride : 1)
        blockRows = ThreadScratch.allocate(count: Self.outputBlock)
        targetRows = ThreadScratch.allocate(count: outputRows)
        targets = ThreadScratch.allocate(count: max(1, outputRows))
        pendingNegatives = ThreadScratch.allocate(count: max(1, negative))
        pendingRandom = ThreadScratch.allocate(count: max(1, negative))
        gradient = ThreadScratch.allocate(count: input.stride)
        hidden = ThreadScratch.allocate(count: input.stride)
        // Hierarchical softmax: the path's updates (portable) or a block's input updates (AVX2).
        outputGradients = ThreadScratch.allocate(
            count: max(outputRows, depth > 0 ? Self.outputBlock : 0) * input.stride
        )
        contexts = ThreadScratch.allocate(count: self.contextCapacity)
    }

    /// Frees the scratch buffers; call once when the thread is done.
    public func deallocate() {
        targets.deallocate()
        pendingNegatives.deallocate()
        pendingRandom.deallocate()
        gradient.deallocate()
        hidden.deallocate()
        outputGradients.deallocate()
        contexts.deallocate()
        scores.deallocate()
        blockGradients.deallocate()
        blockRows.deallocate()
        targetRows.deallocate()
    }

    /// Puts the positive target and `negative` draws (skipping draws equal to it) into `targets`.
    ///
    /// The draws were made by the previous call (the first call makes its own), which also asked for
    /// their output rows; this call draws the next window's and asks for theirs, so a negative's
    /// cache miss overlaps a whole window of arithmetic instead of stalling its first dot product.
    /// The random words are two windows ahead, so that the sampler's table reads hit the cache too.
    @inlinable @inline(__always)
    mutating func drawTargets(positive: Int32) -> Int {
        if !hasPendingNegatives {
            for j in 0..<negative { pendingRandom[j] = rng.next() }
            drawPendingNegatives()
            hasPendingNegatives = true
        }
        targets[0] = positive
        var n = 1
        for j in 0..<negative {
            let t = pendingNegatives[j]
            if t != positive {
                targets[n] = t
                n += 1
            }
        }
        drawPendingNegatives()
        return n
    }

    /// Draws the next window's negatives into ``pendingNegatives`` from ``pendingRandom`` and
    /// prefetches their output rows; then the random words of the window after, prefetching the
    /// sampler's table entries they will read.
    @inlinable @inline(__always)
    mutating func drawPendingNegatives() {
        for j in 0..<negative {
            let t = sampler.sample(random: pendingRandom[j])
            pendingNegatives[j] = t
            prefetchRow(output, t)
            let r = rng.next()
            pendingRandom[j] = r
            sampler.prefetch(random: r)
        }
    }

    /// Asks for every cache line of row `id` of `matrix` so the misses of several rows overlap.
    @inlinable @inline(__always)
    func prefetchRow(_ matrix: UnsafeMutablePointer<Float>, _ id: Int32) {
        let row = matrix + Int(id) * stride
        var offset = 0
        while offset < stride {
            recvec_prefetch(row + offset)
            offset += 16
        }
    }

    /// Skip-gram: each of `count` context tokens predicts `center` on its own, against one set of
    /// negatives shared by the whole window (Ji et al. 2016, "Parallelizing word2vec in shared and
    /// distributed memory"): the k + 1 output rows stay in L1 while every context row streams past,
    /// and their updates are summed and applied after every block of `outputBlock` contexts.
    ///
    /// `weight` scales the step (a per-event weight; 1 = plain SGNS).
    @inlinable @inline(__always)
    public mutating func skipGram(center: Int32, contexts ids: UnsafePointer<Int32>, count: Int, weight: Float = 1) {
        if count == 0 { return }
        switch objective {
        case .negative: break
        case .hierarchical: return hierarchicalSkipGram(center: center, contexts: ids, count: count, weight: weight)
        case .softmax: return softmaxSkipGram(center: center, contexts: ids, count: count, weight: weight)
        }
        // This window's rows are asked for before the next window's negatives (in `drawTargets`), so
        // that their misses are first in line for the core's few outstanding-miss slots; the other
        // way round left skip-gram 8 % and CBOW 14 % slower on one thread. This window's
        // negatives were asked for a window ago.
        prefetchRow(output, center)
        for c in 0..<min(count, 32) { prefetchRow(input, ids[c]) }
        let nt = drawTargets(positive: center)
        if inputAccumulators != nil {
            adagradSkipGramStep(contexts: ids, count: count, targetCount: nt, weight: weight)
        } else {
            skipGramStep(contexts: ids, count: count, targetCount: nt, weight: weight)
        }
    }

    /// Skip-gram over a window whose contexts draw their negatives `share` at a time (1: a draw for
    /// every pair, the word2vec tool's way; `Int.max`: one for the whole window):
    /// ``skipGram(center:contexts:count:weight:)`` on each run of at most `share` contexts.
    @inlinable @inline(__always)
    public mutating func skipGram(
        center: Int32,
        contexts ids: UnsafePointer<Int32>,
        count: Int,
        share: Int,
        weight: Float = 1
    ) {
        forEachShare(of: ids, count: count, share: share) { kernel, run, m in
            kernel.skipGram(center: center, contexts: run, count: m, weight: weight)
        }
    }

    /// Calls `body` with each run of at most `share` consecutive contexts of `ids[0..<count]`, in
    /// order: the unit a draw of negatives is shared by.
    @inlinable @inline(__always)
    public mutating func forEachShare(
        of ids: UnsafePointer<Int32>,
        count: Int,
        share: Int,
        _ body: (inout TrainingKernel, UnsafePointer<Int32>, Int) -> Void
    ) {
        var c = 0
        while c < count {
            let m = min(share, count - c)
            body(&self, ids + c, m)
            c += m
        }
    }

    /// For input `v` and output `u` of one (positive or negative) example: adds its loss
    /// −log σ(±v·u) to `loss` and returns the step α·(label − σ(v·u)) that both vectors move by
    /// along the other — none past ``SigmoidTable/saturation`` (a positive far below it excepted).
    @inlinable @inline(__always)
    func logisticGradient(
        _ v: UnsafePointer<Float>,
        _ u: UnsafePointer<Float>,
        isPositive: Bool,
        alpha: Float,
        loss: inout Double
    ) -> Float {
        let f = Kernels.dot(v, u, count: stride)
        loss -= Double(sigmoid.logSigmoid(isPositive ? f : -f))
        if f >= SigmoidTable.saturation || (!isPositive && f <= -SigmoidTable.saturation) { return 0 }
        return ((isPositive ? 1 : 0) - sigmoid.sigmoid(f)) * alpha
    }

    /// Contexts whose output-side updates are summed before being applied. Bounded so that a
    /// huge window (a whole 2,000-item user history in `full` mode) cannot pile up one giant step.
    @usableFromInline static var outputBlock: Int { 16 }

    /// The skip-gram update for the targets already in `targets` (the first one positive): for each
    /// context in turn, its scores against the targets from its current vector, its own step at once
    /// and the targets' steps summed (from its old vector) until the end of its block of
    /// ``outputBlock`` contexts. On AVX2 or AVX-512 (``VectorKernel``) one C call runs the window,
    /// with the three products as fused, register-tiled loops (`NegativeSamplingKernels.c`).
    @inlinable @inline(__always)
    mutating func skipGramStep(contexts ids: UnsafePointer<Int32>, count: Int, targetCount nt: Int, weight: Float = 1) {
        let d = stride
        let a = alpha * weight
        if vectorLevel > 0 {
            loss += recvec_ns_skipgram(
                vectorLevel,
                input,
                ids,
                count,
                output,
                targets,
                nt,
                d,
                vectorColumns,
                Self.outputBlock,
                a,
                sigmoid.table,
                SigmoidTable.bins,
                SigmoidTable.limit,
                outputGradients,
                scores,
                targetRows
            )
            examples += count
            return
        }
        var lossSum: Double = 0
        var blockStart = 0
        while blockStart < count {
            let blockEnd = min(count, blockStart + Self.outputBlock)
            Kernels.zero(outputGradients, count: nt * d)
            for c in blockStart..<blockEnd {
                let v = input + Int(ids[c]) * d
                Kernels.zero(gradient, count: d)
                for t in 0..<nt {
                    let u = output + Int(targets[t]) * d
                    let g = logisticGradient(v, u, isPositive: t == 0, alpha: a, loss: &lossSum)
                    Kernels.axpy(g, u, gradient, count: d)
                    Kernels.axpy(g, v, outputGradients + t * d, count: d)
                }
                Kernels.add(gradient, v, count: d)
            }
            for t in 0..<nt {
                Kernels.add(outputGradients + t * d, output + Int(targets[t]) * d, count: d)
            }
            blockStart = blockEnd
        }
        loss += lossSum
        examples += count
    }

    /// CBOW: the mean (or sum) of the context vectors predicts `center`. As in the word2vec tool,
    /// every context vector receives the full gradient of the hidden vector (not divided by the
    /// window size).
    @inlinable @inline(__always)
    public mutating func cbow(
        center: Int32,
        contexts ids: UnsafePointer<Int32>,
        count: Int,
        mean: Bool,
        weight: Float = 1
    ) {
        if count == 0 { return }
        switch objective {
        case .negative: break
        case .hierarchical:
            return hierarchicalCBOW(center: center, contexts: ids, count: count, mean: mean, weight: weight)
        case .softmax: return softmaxCBOW(center: center, contexts: ids, count: count, mean: mean, weight: weight)
        }
        // This window's rows first, then the next window's negatives (as in skip-gram).
        for c in 0..<min(count, 32) { prefetchRow(input, ids[c]) }
        prefetchRow(output, center)
        let nt = drawTargets(positive: center)
        if inputAccumulators != nil {
            adagradCBOWStep(contexts: ids, count: count, targetCount: nt, mean: mean, weight: weight)
        } else {
            cbowStep(contexts: ids, count: count, targetCount: nt, mean: mean, weight: weight)
        }
    }

    /// CBOW's hidden vector: the sum of the context rows `ids[0..<count]` into ``hidden``, divided by
    /// `count` when `mean` (every output layer and optimizer starts from it).
    @inlinable @inline(__always)
    func loadContextMean(_ ids: UnsafePointer<Int32>, count: Int, mean: Bool) {
        let d = stride
        Kernels.zero(hidden, count: d)
        for c in 0..<count { Kernels.add(input + Int(ids[c]) * d, hidden, count: d) }
        if mean && count > 1 { Kernels.scale(hidden, by: 1 / Float(count), count: d) }
    }

    /// The CBOW update for the targets already in `targets` (the first one positive), one target
    /// after the other; on AVX2 or AVX-512 one C call (`NegativeSamplingKernels.c`), which scores
    /// all targets at once when they are distinct rows.
    @inlinable @inline(__always)
    mutating func cbowStep(
        contexts ids: UnsafePointer<Int32>,
        count: Int,
        targetCount nt: Int,
        mean: Bool,
        weight: Float = 1
    ) {
        let d = stride
        if vectorLevel > 0 {
            loss += recvec_ns_cbow(
                vectorLevel,
                input,
                ids,
                count,
                output,
                targets,
                nt,
                d,
                vectorColumns,
                mean,
                alpha * weight,
                sigmoid.table,
                SigmoidTable.bins,
                SigmoidTable.limit,
                hidden,
                gradient,
                scores,
                targetRows
            )
            examples += 1
            return
        }
        loadContextMean(ids, count: count, mean: mean)
        Kernels.zero(gradient, count: d)
        let a = alpha * weight
        var lossSum: Double = 0
        for t in 0..<nt {
            let u = output + Int(targets[t]) * d
            let g = logisticGradient(hidden, u, isPositive: t == 0, alpha: a, loss: &lossSum)
            Kernels.axpy(g, u, gradient, count: d)
            Kernels.axpy(g, hidden, u, count: d)
        }
        for c in 0..<count { Kernels.add(gradient, input + Int(ids[c]) * d, count: d) }
        loss += lossSum
        examples += 1
    }
}
