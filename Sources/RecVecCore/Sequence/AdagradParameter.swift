// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import RealModule
import _RecVecShims

/// A dense parameter tensor with its gradient and the state of Adagrad with momentum, as GRU4Rec's
/// official implementation steps it: acc += g², v = μ·v − η·g / √(acc + ε), w += v.
///
/// The buffers are allocated once; training reads and writes them through raw pointers.
final class AdagradParameter {
    let count: Int
    let value: UnsafeMutablePointer<Float>
    let gradient: UnsafeMutablePointer<Float>
    let accumulator: UnsafeMutablePointer<Float>
    let velocity: UnsafeMutablePointer<Float>

    /// Zero values, or values uniform in ±`range` drawn from `rng`.
    init(count: Int, range: Float = 0, rng: inout FastRandom) {
        self.count = count
        value = .allocate(capacity: max(1, count))
        gradient = .allocate(capacity: max(1, count))
        accumulator = .allocate(capacity: max(1, count))
        velocity = .allocate(capacity: max(1, count))
        for i in 0..<count { value[i] = range == 0 ? 0 : (rng.nextUnitFloat() * 2 - 1) * range }
        gradient.update(repeating: 0, count: count)
        accumulator.update(repeating: 0, count: count)
        velocity.update(repeating: 0, count: count)
    }

    deinit {
        value.deallocate()
        gradient.deallocate()
        accumulator.deallocate()
        velocity.deallocate()
    }

    /// One step on every element, then the gradient is cleared unless `clearingGradient` is false
    /// (a gradient that the next step overwrites whole).
    func step(learningRate: Float, momentum: Float, clearingGradient: Bool = true) {
        AdagradParameter.step(
            value: value,
            gradient: gradient,
            accumulator: accumulator,
            velocity: velocity,
            count: count,
            learningRate: learningRate,
            momentum: momentum
        )
        if clearingGradient { gradient.update(repeating: 0, count: count) }
    }

    /// Adagrad with momentum over `count` elements, on the ``VectorKernel`` `kernel` (the same
    /// results on every kernel: the vector ones only run the square roots and divisions side by side).
    @inline(__always)
    static func step(
        value: UnsafeMutablePointer<Float>,
        gradient: UnsafePointer<Float>,
        accumulator: UnsafeMutablePointer<Float>,
        velocity: UnsafeMutablePointer<Float>,
        count: Int,
        learningRate: Float,
        momentum: Float,
        kernel: VectorKernel = .active
    ) {
        if kernel != .portable {
            recvec_adagrad(kernel.level, value, gradient, accumulator, velocity, count, learningRate, momentum)
            return
        }
        let epsilon: Float = 1e-6
        if momentum > 0 {
            for i in 0..<count {
                let g = gradient[i]
                let acc = accumulator[i] + g * g
                accumulator[i] = acc
                let v = momentum * velocity[i] - learningRate * g / (acc + epsilon).squareRoot()
                velocity[i] = v
                value[i] += v
            }
        } else {
            for i in 0..<count {
                let g = gradient[i]
                let acc = accumulator[i] + g * g
                accumulator[i] = acc
                value[i] -= learningRate * g / (acc + epsilon).squareRoot()
            }
        }
    }

    /// The values as an array.
    var values: [Float] { Array(UnsafeBufferPointer(start: value, count: count)) }
}
