// RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.

import Dispatch
import Synchronization

/// Runs CPU-heavy request work off Swift concurrency's threads, at most `limit` jobs at a time,
/// and answers for a job that has not finished within `timeout` of being submitted.
///
/// Hummingbird runs handlers on the cooperative thread pool, which has one thread per core: a few
/// long handlers there would hold up every other request, health checks included. A job given to
/// ``run(_:)`` waits (first come, first served) for one of `limit` slots, then runs on a Dispatch
/// thread while its request task is suspended. When the deadline passes first the caller gets
/// ``Busy``: a job still waiting is dropped without running; a running one finishes (CPU work cannot
/// be interrupted) holding its slot, and its result is discarded. So no more than `limit` jobs ever
/// compete for the cores, however many requests arrive; at most `maxWaiting` wait.
final class ComputeLimiter: Sendable {
    /// The job did not finish in time (or there was no room to wait).
    struct Busy: Error, CustomStringConvertible {
        var timeout: Duration
        var description: String { "not done within \(seconds) s" }
        /// The timeout in seconds, as short as it can be written (`10`, `0.25`).
        var seconds: String {
            let (whole, atto) = timeout.components
            let value = Double(whole) + Double(atto) * 1e-18
            return value == value.rounded() ? String(Int64(value)) : String(value)
        }
    }

    let limit: Int
    let timeout: Duration
    let maxWaiting: Int
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "recvec.serve.compute", attributes: .concurrent)

    private struct State {
        var running = 0
        var waiting: [Waiter] = []
        /// Jobs run so far, and the most that ever ran at once (for tests and metrics).
        var started = 0
        var peak = 0
    }

    /// A job waiting for a slot.
    private struct Waiter: Sendable {
        /// Whether its caller has already been answered (timed out or cancelled): then it is skipped.
        let isSettled: @Sendable () -> Bool
        let start: @Sendable () -> Void
    }

    init(limit: Int, timeout: Duration, maxWaiting: Int = 1024) {
        precondition(limit >= 1 && maxWaiting >= 0)
        self.limit = limit
        self.timeout = timeout
        self.maxWaiting = maxWaiting
    }

    /// Jobs started so far, and the most that ran at once.
    var counts: (started: Int, peak: Int) { state.withLock { ($0.started, $0.peak) } }

    /// The result of `work`, run on a Dispatch thread once a slot is free; throws ``Busy`` when that
    /// takes longer than `timeout` (waiting included), `CancellationError` when the task is cancelled,
    /// else what `work` throws.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let ticket = Ticket<T>()
        let timeout = self.timeout
        // A Dispatch timer, not Task.sleep: it fires on time even when CPU-bound work elsewhere holds
        // every thread of the cooperative pool.
        let timer = DispatchWorkItem { ticket.settle(.failure(Busy(timeout: timeout))) }
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.interval(timeout), execute: timer)
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                ticket.wait(continuation)
                submit(
                    Waiter(isSettled: { ticket.isSettled }) { [self] in
                        queue.async {
                            defer { self.finish() }
                            guard !ticket.isSettled else { return }
                            ticket.settle(Result { try work() })
                        }
                    },
                    orElse: { ticket.settle(.failure(Busy(timeout: timeout))) }
                )
            }
        } onCancel: {
            ticket.settle(.failure(CancellationError()))
        }
    }

    /// `duration` in nanoseconds, for Dispatch (at most about 292 years).
    static func interval(_ duration: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow || whole > Int64.max - 1_000_000_000 { return .never }
        return .nanoseconds(Int(max(0, whole + attoseconds / 1_000_000_000)))
    }

    /// Starts `waiter` in a free slot, else queues it, else (the queue is full) calls `refuse`.
    private func submit(_ waiter: Waiter, orElse refuse: () -> Void) {
        enum Admission { case start, queued, refused }
        let admission = state.withLock { s -> Admission in
            if s.running < limit {
                s.running += 1
                s.started += 1
                s.peak = max(s.peak, s.running)
                return .start
            }
            // Drop the answered waiters first, so timed-out requests never take the room.
            s.waiting.removeAll { $0.isSettled() }
            guard s.waiting.count < maxWaiting else { return .refused }
            s.waiting.append(waiter)
            return .queued
        }
        switch admission {
        case .start: waiter.start()
        case .queued: break
        case .refused: refuse()
        }
    }

    /// Hands the slot of a finished job to the first waiter still waiting, else frees it.
    private func finish() {
        let next = state.withLock { s -> Waiter? in
            while !s.waiting.isEmpty {
                let waiter = s.waiting.removeFirst()
                if !waiter.isSettled() {
                    s.started += 1
                    return waiter
                }
            }
            s.running -= 1
            return nil
        }
        next?.start()
    }
}

/// The answer of one job: given once, by the first of its result, its deadline or its cancellation.
private final class Ticket<T: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<T, any Error>)
        case early(Result<T, any Error>)
        case done
    }

    private let state = Mutex(State.empty)

    var isSettled: Bool {
        state.withLock {
            switch $0 {
            case .empty, .waiting: false
            case .early, .done: true
            }
        }
    }

    /// Resumes `continuation` with the answer, now if it is known, else once it is.
    func wait(_ continuation: CheckedContinuation<T, any Error>) {
        let early = state.withLock { s -> Result<T, any Error>? in
            guard case .early(let result) = s else {
                s = .waiting(continuation)
                return nil
            }
            s = .done
            return result
        }
        if let early { continuation.resume(with: early) }
    }

    /// Gives the answer unless one was given already.
    func settle(_ result: Result<T, any Error>) {
        let continuation = state.withLock { s -> CheckedContinuation<T, any Error>? in
            switch s {
            case .empty:
                s = .early(result)
                return nil
            case .waiting(let continuation):
                s = .done
                return continuation
            case .early, .done:
                return nil
            }
        }
        continuation?.resume(with: result)
    }
}
