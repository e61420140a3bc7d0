// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

/// A table with a row per item (input or output item vectors, item biases, a one-hot layer's input
/// weights), updated sparsely: a minibatch touches a few hundred rows, and only their Adagrad state
/// moves (the official implementation's indexed Adagrad).
///
/// Gradients of the rows a minibatch touches are gathered in slots, one per distinct row, so an
/// item that occurs twice (a target that is also sampled) gets one step with the summed gradient.
/// All buffers are allocated once, for at most `maxRows` distinct rows a step.
final class ItemTable {
    let rows: Int
    let width: Int
    let parameter: AdagradParameter
    /// The slot of each row in this step's gradient, or −1.
    private let slotOf: UnsafeMutablePointer<Int32>
    /// The rows with a slot, in slot order.
    private let touched: UnsafeMutablePointer<Int32>
    private let slotGradients: UnsafeMutablePointer<Float>
    private var used = 0
    let maxRows: Int

    init(rows: Int, width: Int, range: Float, maxRows: Int, rng: inout FastRandom) {
        self.rows = rows
        self.width = width
        self.maxRows = maxRows
        parameter = AdagradParameter(count: rows * width, range: range, rng: &rng)
        slotOf = .allocate(capacity: max(1, rows))
        slotOf.update(repeating: -1, count: rows)
        touched = .allocate(capacity: max(1, maxRows))
        slotGradients = .allocate(capacity: max(1, maxRows * width))
    }

    deinit {
        slotOf.deallocate()
        touched.deallocate()
        slotGradients.deallocate()
    }

    /// The values of `row`.
    @inline(__always)
    func row(_ row: Int32) -> UnsafeMutablePointer<Float> { parameter.value + Int(row) * width }

    /// The gradient of `row` for this step (zero the first time it is asked for).
    @inline(__always)
    func gradient(_ row: Int32) -> UnsafeMutablePointer<Float> {
        var s = Int(slotOf[Int(row)])
        if s < 0 {
            precondition(used < maxRows, "more distinct rows in one step than the table was sized for")
            s = used
            used += 1
            slotOf[Int(row)] = Int32(s)
            touched[s] = row
            (slotGradients + s * width).update(repeating: 0, count: width)
        }
        return slotGradients + s * width
    }

    /// Adds `g` (`width` values) to the gradient of `row`; the first time in a step, copies it.
    @inline(__always)
    func addGradient(_ row: Int32, _ g: UnsafePointer<Float>) {
        let s = Int(slotOf[Int(row)])
        if s >= 0 {
            Kernels.add(g, slotGradients + s * width, count: width)
            return
        }
        precondition(used < maxRows, "more distinct rows in one step than the table was sized for")
        slotOf[Int(row)] = Int32(used)
        touched[used] = row
        (slotGradients + used * width).update(from: g, count: width)
        used += 1
    }

    /// One Adagrad step on the touched rows; clears the slots.
    func step(learningRate: Float, momentum: Float) {
        for s in 0..<used {
            let r = Int(touched[s])
            let offset = r * width
            AdagradParameter.step(
                value: parameter.value + offset,
                gradient: slotGradients + s * width,
                accumulator: parameter.accumulator + offset,
                velocity: parameter.velocity + offset,
                count: width,
                learningRate: learningRate,
                momentum: momentum
            )
            slotOf[r] = -1
        }
        used = 0
    }
}
