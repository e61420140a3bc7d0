// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RealModule

/// Trains GRU4Rec (Hidasi et al. 2016; Hidasi & Karatzoglou 2018) on sessions of model item ids:
/// session-parallel minibatches (each row follows one session; when it ends, the row's state is
/// reset and the next session takes it), one GRU step per event, scores over the minibatch's
/// targets plus shared popularity-sampled negatives, cross-entropy or BPR-max, and Adagrad with
/// momentum, as the official implementation trains it.
///
/// Every buffer is allocated once; a step is matrix products over raw pointers (split over
/// `threads`, which does not change the result) and element-wise loops. With the same seed the
/// same data gives the same network.
final class GRU4RecTrainer {
    let config: GRU4RecConfig
    let items: Int
    let threads: Int
    private var rng: FastRandom
    let layers: [GRU4RecTrainingLayer]
    /// Output item vectors (items × last layer size); the input ones too when constrained.
    let output: ItemTable
    let bias: ItemTable
    let embedding: ItemTable?
    private let sampler: PopularitySampler
    private let maxRows: Int
    private let maxColumns: Int
    private let inputItems: UnsafeMutablePointer<Int32>
    private let columnItems: UnsafeMutablePointer<Int32>
    private let offsets: UnsafeMutablePointer<Float>
    private let scores: UnsafeMutablePointer<Float>
    private let dScores: UnsafeMutablePointer<Float>
    private let gathered: UnsafeMutablePointer<Float>
    private let dGathered: UnsafeMutablePointer<Float>
    private let input: UnsafeMutablePointer<Float>
    private let inputMask: UnsafeMutablePointer<Float>
    private let dInput: UnsafeMutablePointer<Float>
    private let scratch: UnsafeMutablePointer<Float>
    /// This step's bias of each column, then the sum of each column's score gradients.
    private let columnValues: UnsafeMutablePointer<Float>

    /// A network for `items` items with `counts` occurrences (negative sampling, logq).
    init(config: GRU4RecConfig, items: Int, counts: [Int], seed: UInt64, threads: Int) {
        self.config = config
        self.items = items
        self.threads = max(1, threads)
        rng = FastRandom(seed: seed)
        maxRows = config.batchSize
        maxColumns = config.batchSize + config.nSample
        let last = config.layers[config.layers.count - 1]
        output = ItemTable(
            rows: items,
            width: last,
            range: Float((6.0 / Double(items + last)).squareRoot()),
            maxRows: maxColumns + maxRows,
            rng: &rng
        )
        bias = ItemTable(rows: items, width: 1, range: 0, maxRows: maxColumns, rng: &rng)
        var inputSize = last
        switch config.input {
        case .constrained:
            embedding = nil
        case .embedding(let e):
            embedding = ItemTable(
                rows: items,
                width: e,
                range: Float((6.0 / Double(items + e)).squareRoot()),
                maxRows: maxRows,
                rng: &rng
            )
            inputSize = e
        case .oneHot:
            embedding = nil
            inputSize = items
        }
        var built: [GRU4RecTrainingLayer] = []
        for (l, h) in config.layers.enumerated() {
            built.append(
                GRU4RecTrainingLayer(
                    inputSize: l == 0 ? inputSize : config.layers[l - 1],
                    hidden: h,
                    items: items,
                    oneHot: l == 0 && config.input == .oneHot,
                    maxRows: maxRows,
                    rng: &rng
                )
            )
        }
        layers = built
        sampler = PopularitySampler(counts: counts, alpha: config.sampleAlpha)
        func floats(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, n))
            p.update(repeating: 0, count: n)
            return p
        }
        inputItems = .allocate(capacity: maxRows)
        columnItems = .allocate(capacity: maxColumns)
        offsets = floats(maxColumns)
        scores = floats(maxRows * maxColumns)
        dScores = floats(maxRows * maxColumns)
        gathered = floats(maxColumns * last)
        dGathered = floats(maxColumns * last)
        input = floats(maxRows * max(1, inputSize))
        inputMask = floats(maxRows * max(1, inputSize))
        dInput = floats(maxRows * max(1, inputSize))
        scratch = floats(maxColumns)
        columnValues = floats(maxColumns)
        if config.loss == .crossEntropy && config.logq > 0 {
            logTargets = counts.map { $0 > 0 ? Float(Double.log(Double($0))) : 0 }
        } else {
            logTargets = []
        }
    }

    /// log count of each item, for the logq correction of the targets' columns.
    private let logTargets: [Float]

    deinit {
        inputItems.deallocate()
        columnItems.deallocate()
        for p in [offsets, scores, dScores, gathered, dGathered, input, inputMask, dInput, scratch, columnValues] {
            p.deallocate()
        }
    }

    /// One training step of `rows` rows: `inputs[b]` is followed by `targets[b]` in row b's
    /// session. Returns the summed loss.
    @discardableResult
    func step(inputs: UnsafePointer<Int32>, targets: UnsafePointer<Int32>, rows: Int) -> Double {
        let columns = rows + config.nSample
        for b in 0..<rows {
            inputItems[b] = inputs[b]
            columnItems[b] = targets[b]
        }
        for j in rows..<columns { columnItems[j] = sampler.draw(&rng) }
        let pEmbed = Float(config.dropoutEmbedding)
        let pHidden = Float(config.dropoutHidden)
        let oneHot = config.input == .oneHot

        // Input vectors.
        let inputSize = layers[0].inputSize
        if !oneHot {
            let table = embedding ?? output
            for b in 0..<rows { (input + b * inputSize).update(from: table.row(inputItems[b]), count: inputSize) }
            Dropout.apply(input, mask: inputMask, count: rows * inputSize, p: pEmbed, rng: &rng)
        }
        // The layers.
        for (l, layer) in layers.enumerated() {
            layer.forward(
                input: l == 0 ? (oneHot ? nil : UnsafePointer(input)) : UnsafePointer(layers[l - 1].output),
                items: inputItems,
                rows: rows,
                dropout: oneHot && l == 0 ? pEmbed : pHidden,
                rng: &rng,
                threads: threads
            )
        }
        // Scores over the columns.
        let top = layers[layers.count - 1]
        let h = top.hidden
        for j in 0..<columns { (gathered + j * h).update(from: output.row(columnItems[j]), count: h) }
        MatrixProducts.multiplyTransposed(
            top.output,
            gathered,
            into: scores,
            m: rows,
            k: h,
            n: columns,
            threads: threads
        )
        for j in 0..<columns { columnValues[j] = bias.row(columnItems[j])[0] }
        for b in 0..<rows { Kernels.add(columnValues, scores + b * columns, count: columns) }
        // The loss and its gradient.
        let scale = 1 / Float(config.batchSize)
        let loss: Double
        switch config.loss {
        case .crossEntropy:
            var withOffsets = false
            if config.logq > 0 {
                let q = Float(config.logq)
                for j in 0..<columns {
                    let item = Int(columnItems[j])
                    offsets[j] = q * (j < rows ? logTargets[item] : sampler.logProbability[item])
                }
                withOffsets = true
            }
            loss = GRU4RecLosses.crossEntropy(
                scores: scores,
                offsets: withOffsets ? UnsafePointer(offsets) : nil,
                rows: rows,
                columns: columns,
                gradient: dScores,
                scale: scale
            )
        case .bprMax:
            loss = GRU4RecLosses.bprMax(
                scores: scores,
                rows: rows,
                columns: columns,
                bpreg: Float(config.bpreg),
                elu: Float(config.eluParam),
                gradient: dScores,
                scratch: scratch,
                scale: scale
            )
        }
        // Back through the output layer.
        MatrixProducts.accumulateTransposed(
            dScores,
            top.output,
            into: dGathered,
            m: columns,
            k: rows,
            n: h,
            accumulate: false,
            threads: threads
        )
        MatrixProducts.multiply(dScores, gathered, into: top.dOutput, m: rows, k: columns, n: h, threads: threads)
        // Each column's sum over the rows, row by row (the same order as a sum down the column).
        columnValues.update(repeating: 0, count: columns)
        for b in 0..<rows { Kernels.add(dScores + b * columns, columnValues, count: columns) }
        for j in 0..<columns {
            let item = columnItems[j]
            output.addGradient(item, dGathered + j * h)
            bias.gradient(item)[0] += columnValues[j]
        }
        // Back through the layers.
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            let layer = layers[l]
            let below: UnsafeMutablePointer<Float>? = l > 0 ? layers[l - 1].dOutput : (oneHot ? nil : dInput)
            layer.backward(
                input: l == 0 ? (oneHot ? nil : UnsafePointer(input)) : UnsafePointer(layers[l - 1].output),
                items: inputItems,
                rows: rows,
                dInput: below,
                threads: threads
            )
        }
        if !oneHot {
            let table = embedding ?? output
            for b in 0..<rows {
                let d = dInput + b * inputSize
                let m = inputMask + b * inputSize
                let g = table.gradient(inputItems[b])
                for j in 0..<inputSize { g[j] += d[j] * m[j] }
            }
        }
        // The optimizer.
        let lr = Float(config.learningRate)
        let mu = Float(config.momentum)
        for layer in layers { layer.step(rows: rows, learningRate: lr, momentum: mu) }
        output.step(learningRate: lr, momentum: mu)
        bias.step(learningRate: lr, momentum: mu)
        embedding?.step(learningRate: lr, momentum: mu)
        return loss
    }

    /// Zeroes row `b`'s state in every layer (a new session starts there).
    func resetState(row b: Int) {
        for layer in layers { (layer.state + b * layer.hidden).update(repeating: 0, count: layer.hidden) }
    }

    /// Moves row `from`'s state to row `to` (the minibatch shrinks at the end of an epoch).
    func moveState(from: Int, to: Int) {
        for layer in layers {
            (layer.state + to * layer.hidden).update(from: layer.state + from * layer.hidden, count: layer.hidden)
        }
    }

    /// One pass over `sessions` (model item ids, each at least two long) in session-parallel
    /// minibatches. Returns the mean loss per event.
    func epoch(_ sessions: [[Int32]]) -> Double {
        if sessions.isEmpty { return 0 }
        var rows = min(config.batchSize, sessions.count)
        var sessionOf = [Int](0..<rows)
        var position = [Int](repeating: 0, count: rows)
        var nextSession = rows
        var inputs = [Int32](repeating: 0, count: config.batchSize)
        var targets = [Int32](repeating: 0, count: config.batchSize)
        for b in 0..<rows { resetState(row: b) }
        var total = 0.0
        var events = 0
        while rows > 0 {
            for b in 0..<rows {
                let s = sessions[sessionOf[b]]
                inputs[b] = s[position[b]]
                targets[b] = s[position[b] + 1]
            }
            total += inputs.withUnsafeBufferPointer { i in
                targets.withUnsafeBufferPointer { t in step(inputs: i.baseAddress!, targets: t.baseAddress!, rows: rows)
                }
            }
            events += rows
            var b = 0
            while b < rows {
                position[b] += 1
                if position[b] + 1 < sessions[sessionOf[b]].count {
                    b += 1
                    continue
                }
                if nextSession < sessions.count {
                    sessionOf[b] = nextSession
                    position[b] = 0
                    nextSession += 1
                    resetState(row: b)
                    b += 1
                } else {
                    rows -= 1
                    if b != rows {
                        sessionOf[b] = sessionOf[rows]
                        position[b] = position[rows]
                        moveState(from: rows, to: b)
                        // The moved row has not advanced yet in this pass: look at it again
                        // without advancing it.
                        position[b] -= 1
                    }
                }
            }
        }
        return total / Double(max(1, events))
    }

    /// The trained network.
    var weights: GRU4RecWeights {
        GRU4RecWeights(
            config: config,
            itemCount: items,
            layers: layers.map(\.weights),
            output: output.parameter.values,
            bias: bias.parameter.values,
            embedding: embedding?.parameter.values ?? []
        )
    }
}
