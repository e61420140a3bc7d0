// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RealModule

/// The item tower of published Content2vec: modules that each map one kind of an item's content
/// into the item space, summed into the item vector
///
///     v_i = c_i + W_text·dropout(maxpool(relu(conv(E[tokens of i])))) + W_dense·f_i
///
/// - CF: c_i starts as the item's prod2vec vector scaled to unit length and is fine-tuned (zero for
///   items without events, and — with probability `cfDropout` while training — for an item that has
///   content, so that the content modules learn to place items on their own);
/// - text: the item's content tokens (in order) as word vectors E (learned, or started from
///   pretrained ones), one bank of `filters` convolutions per width, ReLU, max-pooling over the
///   positions (a TextCNN, Kim 2014), dropout on the pooled features;
/// - dense: the item's content features f_i (e.g. image vectors computed elsewhere).
///
/// A minibatch of distinct items ("units") runs through the tower at once as matrix products
/// (``MatrixProducts``: the convolutions as products of the unrolled windows with the filter
/// banks). Parameters are ``AdagradParameter``s (no momentum); word and CF vectors are stepped only
/// on the rows a minibatch touched. Buffers are allocated once for `capacity` units.
final class Content2vecTowers {
    let dim: Int
    let wordDimension: Int
    let widths: [Int]
    let filters: Int
    /// Pooled text features per unit: `filters × widths.count`.
    let pooled: Int
    let maxTokens: Int
    let capacity: Int
    let textDropout: Float
    let cfDropout: Float

    /// Adagrad's starting sum of squared gradients.
    static let initialAccumulator: Float = 0.1

    // Content, fixed.
    let tokenOffsets: [Int32]
    let tokenIDs: [Int32]
    /// `items × featureCount` dense features; `nil`: no dense module.
    let features: [Float]?
    let featureCount: Int
    /// Per item: whether it has any content (a token or a nonzero feature).
    let hasContent: [Bool]

    // Parameters.
    let words: AdagradParameter
    let kernels: [AdagradParameter]
    let biases: [AdagradParameter]
    let textProjection: AdagradParameter
    /// CF vectors, `items × dim` (rows of items without events zero); `nil`: no CF module.
    let cf: AdagradParameter?
    let denseProjection: AdagradParameter?

    // Per-minibatch state (capacity units).
    private(set) var units: [Int32] = []
    /// Rows of the unrolled windows per width, their unit, and each unit's first row.
    private var windowRows: [Int]
    private var rowUnit: [UnsafeMutablePointer<Int32>]
    private var unitFirstRow: [UnsafeMutablePointer<Int32>]
    private let unrolled: [UnsafeMutablePointer<Float>]
    private let activations: [UnsafeMutablePointer<Float>]
    private let activationGradients: [UnsafeMutablePointer<Float>]
    private let unrolledGradients: [UnsafeMutablePointer<Float>]
    /// Per unit and pooled feature: the row of the maximum (−1 when the feature is 0 after ReLU).
    private let argmax: UnsafeMutablePointer<Int32>
    /// Pooled features after dropout (inverted: kept ones scaled by 1/(1 − p)), and the scale.
    private let text: UnsafeMutablePointer<Float>
    private let textScale: UnsafeMutablePointer<Float>
    private let textGradient: UnsafeMutablePointer<Float>
    /// Per unit: whether its CF vector is part of its item vector in this minibatch.
    private var cfKept: [Bool]
    private let featureRows: UnsafeMutablePointer<Float>
    /// The units' item vectors and their gradients (`capacity × dim`).
    let vectors: UnsafeMutablePointer<Float>
    let vectorGradients: UnsafeMutablePointer<Float>
    private var touchedWords: RowSet
    private var touchedCF: RowSet

    /// - Parameters:
    ///   - tokenOffsets, tokenIDs: CSR of each item's content tokens, in order.
    ///   - pretrained: `wordCount × wordDimension` starting word vectors, or `nil` for random ones.
    ///   - cfInputs: `items × dim` starting CF vectors, or `nil` for no CF module.
    init(
        config: Content2vecCNNConfig,
        dim: Int,
        wordCount: Int,
        wordDimension: Int,
        pretrained: [Float]?,
        tokenOffsets: [Int32],
        tokenIDs: [Int32],
        cfInputs: [Float]?,
        features: [Float]?,
        featureCount: Int,
        cfDropout: Float,
        capacity: Int,
        seed: UInt64
    ) {
        self.dim = dim
        self.wordDimension = wordDimension
        widths = config.widths
        filters = config.filters
        pooled = config.filters * config.widths.count
        maxTokens = config.maxTokens
        self.capacity = capacity
        textDropout = Float(config.textDropout)
        self.cfDropout = cfDropout
        self.tokenOffsets = tokenOffsets
        self.tokenIDs = tokenIDs
        let items = tokenOffsets.count - 1
        self.features = featureCount > 0 ? features : nil
        self.featureCount = featureCount
        hasContent = (0..<items).map { i in
            if tokenOffsets[i + 1] > tokenOffsets[i] { return true }
            guard featureCount > 0, let features else { return false }
            return (0..<featureCount).contains { features[i * featureCount + $0] != 0 }
        }

        var rng = FastRandom(seed: seed ^ 0xC2_7EC7_0C22)
        let e = wordDimension
        words = AdagradParameter(count: max(1, wordCount) * e, range: 0.5, rng: &rng)
        if let pretrained {
            for w in 0..<wordCount {
                let row = pretrained[(w * e)..<(w * e + e)]
                if row.contains(where: { $0 != 0 }) { for k in 0..<e { words.value[w * e + k] = row[w * e + k] } }
            }
        }
        // Glorot-uniform ranges for the layers: √(6 / (fan in + fan out)).
        func glorot(_ fanIn: Int, _ fanOut: Int) -> Float { (6 / Float(fanIn + fanOut)).squareRoot() }
        kernels = config.widths.map { w in
            AdagradParameter(count: w * e * config.filters, range: glorot(w * e, config.filters), rng: &rng)
        }
        biases = config.widths.map { _ in AdagradParameter(count: config.filters, rng: &rng) }
        // The layers into the item space start at zero: the item vectors begin as the unit
        // prod2vec vectors and the content modules grow from there.
        // Random layers would add to every item the same large vector (pooled ReLU features are all
        // ≥ 0), make every pair look alike, and the first steps would shrink the whole model to 0.
        textProjection = AdagradParameter(count: pooled * dim, rng: &rng)
        if let cfInputs {
            let p = AdagradParameter(count: items * dim, rng: &rng)
            p.value.update(from: cfInputs, count: min(cfInputs.count, items * dim))
            cf = p
        } else {
            cf = nil
        }
        denseProjection = featureCount > 0 ? AdagradParameter(count: featureCount * dim, rng: &rng) : nil

        // Adagrad's sums start at 0.1 (as TensorFlow's Adagrad does), not 0: otherwise the first
        // step moves every element by the full step size whatever its gradient (g/√g² = ±1), which
        // scrambles the CF layer's identity and pushes whole filter banks below zero at once.
        for p in [words] + kernels + biases + [textProjection] + [cf, denseProjection].compactMap({ $0 }) {
            p.accumulator.update(repeating: Self.initialAccumulator, count: p.count)
        }

        let rowsCapacity = capacity * max(1, config.maxTokens)
        windowRows = config.widths.map { _ in 0 }
        rowUnit = config.widths.map { _ in .allocate(capacity: rowsCapacity) }
        unitFirstRow = config.widths.map { _ in .allocate(capacity: capacity + 1) }
        unrolled = config.widths.map { .allocate(capacity: rowsCapacity * $0 * e) }
        unrolledGradients = config.widths.map { .allocate(capacity: rowsCapacity * $0 * e) }
        activations = config.widths.map { _ in .allocate(capacity: rowsCapacity * config.filters) }
        activationGradients = config.widths.map { _ in .allocate(capacity: rowsCapacity * config.filters) }
        argmax = .allocate(capacity: capacity * pooled)
        text = .allocate(capacity: capacity * pooled)
        textScale = .allocate(capacity: capacity * pooled)
        textGradient = .allocate(capacity: capacity * pooled)
        cfKept = Array(repeating: false, count: capacity)
        featureRows = .allocate(capacity: capacity * max(1, featureCount))
        vectors = .allocate(capacity: capacity * dim)
        vectorGradients = .allocate(capacity: capacity * dim)
        touchedWords = RowSet(rows: max(1, wordCount))
        touchedCF = RowSet(rows: max(1, items))
        units.reserveCapacity(capacity)
    }

    deinit {
        for p in rowUnit { p.deallocate() }
        for p in unitFirstRow { p.deallocate() }
        for p in unrolled { p.deallocate() }
        for p in unrolledGradients { p.deallocate() }
        for p in activations { p.deallocate() }
        for p in activationGradients { p.deallocate() }
        argmax.deallocate()
        text.deallocate()
        textScale.deallocate()
        textGradient.deallocate()
        featureRows.deallocate()
        vectors.deallocate()
        vectorGradients.deallocate()
    }

    /// Every parameter tensor: the row tables (word vectors, CF vectors) first.
    var parameters: [AdagradParameter] {
        [words] + [cf].compactMap { $0 } + kernels + biases + [textProjection] + [denseProjection].compactMap { $0 }
    }

    /// Runs `items` (distinct, at most `capacity`) through the tower into ``vectors`` (row u: the
    /// vector of `items[u]`). With `training`, dropout (text features, and the CF module of items
    /// with content) draws from `rng`; ``vectorGradients`` is cleared for ``backward()``.
    func forward(_ items: [Int32], training: Bool, keepCF: Bool = true, rng: inout FastRandom) {
        precondition(items.count <= capacity, "more units than the tower's capacity")
        units = items
        let n = items.count
        let d = dim
        let e = wordDimension
        let wordValues = words.value

        // Text: unroll each unit's windows per width, multiply with the filter bank, pool.
        for (b, w) in widths.enumerated() {
            let x = unrolled[b]
            let owner = rowUnit[b]
            let first = unitFirstRow[b]
            var rows = 0
            for u in 0..<n {
                first[u] = Int32(rows)
                let item = Int(items[u])
                let lo = Int(tokenOffsets[item])
                let length = min(maxTokens, Int(tokenOffsets[item + 1]) - lo)
                if length == 0 { continue }
                let positions = max(1, length - w + 1)
                for p in 0..<positions {
                    let row = x + rows * w * e
                    for k in 0..<w {
                        let target = row + k * e
                        if p + k < length {
                            target.update(from: wordValues + Int(tokenIDs[lo + p + k]) * e, count: e)
                        } else {
                            target.update(repeating: 0, count: e)
                        }
                    }
                    owner[rows] = Int32(u)
                    rows += 1
                }
            }
            first[n] = Int32(rows)
            windowRows[b] = rows
            let z = activations[b]
            if rows > 0 {
                MatrixProducts.multiply(x, kernels[b].value, into: z, m: rows, k: w * e, n: filters)
                let bias = biases[b].value
                for r in 0..<rows { Kernels.add(bias, z + r * filters, count: filters) }
            }
            for u in 0..<n {
                let lo = Int(first[u])
                let hi = Int(first[u + 1])
                for f in 0..<filters {
                    let slot = u * pooled + b * filters + f
                    var best: Float = 0
                    var at: Int32 = -1
                    for r in lo..<hi where z[r * filters + f] > best {
                        best = z[r * filters + f]
                        at = Int32(r)
                    }
                    argmax[slot] = at
                    var scale: Float = 1
                    if training && textDropout > 0 {
                        scale = rng.nextUnitFloat() < textDropout ? 0 : 1 / (1 - textDropout)
                    }
                    textScale[slot] = scale
                    text[slot] = best * scale
                }
            }
        }
        MatrixProducts.multiply(text, textProjection.value, into: vectors, m: n, k: pooled, n: d)

        if let cf {
            for u in 0..<n {
                let item = Int(items[u])
                let drop = !keepCF || (training && cfDropout > 0 && hasContent[item] && rng.nextUnitFloat() < cfDropout)
                cfKept[u] = !drop
                if !drop { Kernels.add(cf.value + item * d, vectors + u * d, count: d) }
            }
        }
        if let features, let denseProjection {
            let f = featureCount
            features.withUnsafeBufferPointer { p in
                for u in 0..<n { (featureRows + u * f).update(from: p.baseAddress! + Int(items[u]) * f, count: f) }
            }
            MatrixProducts.multiply(
                featureRows,
                denseProjection.value,
                into: vectors,
                m: n,
                k: f,
                n: d,
                accumulate: true
            )
        }
        vectorGradients.update(repeating: 0, count: n * d)
    }

    /// Adds the gradients of every parameter, given the loss's gradient with respect to the units'
    /// vectors in ``vectorGradients``, to the parameters' gradient buffers.
    func backward() {
        let n = units.count
        let d = dim
        let e = wordDimension
        if n == 0 { return }
        let g = vectorGradients
        MatrixProducts.accumulateTransposed(text, g, into: textProjection.gradient, m: pooled, k: n, n: d)
        if let cf {
            for u in 0..<n where cfKept[u] {
                let item = units[u]
                Kernels.add(g + u * d, cf.gradient + Int(item) * d, count: d)
                touchedCF.insert(item)
            }
        }
        if let denseProjection {
            MatrixProducts.accumulateTransposed(
                featureRows,
                g,
                into: denseProjection.gradient,
                m: featureCount,
                k: n,
                n: d
            )
        }
        MatrixProducts.multiplyTransposed(g, textProjection.value, into: textGradient, m: n, k: d, n: pooled)

        for (b, w) in widths.enumerated() {
            let rows = windowRows[b]
            if rows == 0 { continue }
            let dz = activationGradients[b]
            dz.update(repeating: 0, count: rows * filters)
            let bias = biases[b].gradient
            for u in 0..<n {
                for f in 0..<filters {
                    let slot = u * pooled + b * filters + f
                    let r = Int(argmax[slot])
                    if r < 0 { continue }
                    let grad = textGradient[slot] * textScale[slot]
                    dz[r * filters + f] += grad
                    bias[f] += grad
                }
            }
            MatrixProducts.accumulateTransposed(
                unrolled[b],
                dz,
                into: kernels[b].gradient,
                m: w * e,
                k: rows,
                n: filters
            )
            let dx = unrolledGradients[b]
            MatrixProducts.multiplyTransposed(dz, kernels[b].value, into: dx, m: rows, k: filters, n: w * e)
            // Scatter the windows' gradients back to the word vectors they were copied from.
            let owner = rowUnit[b]
            let first = unitFirstRow[b]
            for r in 0..<rows {
                let u = Int(owner[r])
                let item = Int(units[u])
                let lo = Int(tokenOffsets[item])
                let length = min(maxTokens, Int(tokenOffsets[item + 1]) - lo)
                let p = r - Int(first[u])
                for k in 0..<w where p + k < length {
                    let word = tokenIDs[lo + p + k]
                    Kernels.add(dx + r * w * e + k * e, words.gradient + Int(word) * e, count: e)
                    touchedWords.insert(word)
                }
            }
        }
    }

    /// One Adagrad step of every parameter with its gradient; gradients are cleared after.
    func step(learningRate: Float) {
        touchedWords.step(words, width: wordDimension, learningRate: learningRate)
        if let cf { touchedCF.step(cf, width: dim, learningRate: learningRate) }
        for p in parameters where p !== words && p !== cf { p.step(learningRate: learningRate, momentum: 0) }
    }
}

/// The rows of a table a minibatch touched, each once, in the order first touched.
struct RowSet {
    private(set) var rows: [Int32] = []
    private var member: [Bool]

    init(rows count: Int) { member = Array(repeating: false, count: count) }

    mutating func insert(_ row: Int32) {
        if member[Int(row)] { return }
        member[Int(row)] = true
        rows.append(row)
    }

    mutating func clear() {
        for r in rows { member[Int(r)] = false }
        rows.removeAll(keepingCapacity: true)
    }

    /// One Adagrad step (no momentum) of the touched rows of `table` (rows of `width`), whose
    /// gradients are then cleared; the set is emptied.
    mutating func step(_ table: AdagradParameter, width: Int, learningRate: Float) {
        for row in rows {
            let r = Int(row) * width
            AdagradParameter.step(
                value: table.value + r,
                gradient: table.gradient + r,
                accumulator: table.accumulator + r,
                velocity: table.velocity + r,
                count: width,
                learningRate: learningRate,
                momentum: 0
            )
            (table.gradient + r).update(repeating: 0, count: width)
        }
        clear()
    }
}
