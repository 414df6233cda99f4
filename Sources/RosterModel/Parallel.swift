import Dispatch
import Foundation

/// Transforms values on all cores, a chunk at a time, and hands the results back in order.
///
/// JSON encoding, decoding and hashing are most of the cost of writing a large snapshot or
/// streaming a large listing; chunks keep memory bounded while what consumes the results (a
/// database write, standard output) stays on the calling thread, in order. No I/O of its own.
///
/// For example:
/// ```swift
/// try Parallel.map(identities, { try encoder.encode($0) }) { identity, data in write(data) }
/// ```
public enum Parallel {
    public static let chunkSize = 4096

    public static func map<T: Sendable, R>(_ values: [T], _ transform: @escaping @Sendable (T) throws -> R, _ body: (T, R) throws -> Void) throws {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        var start = 0
        while start < values.count {
            let end = min(values.count, start + chunkSize)
            let slice = values[start..<end]
            let results = Results<R>(count: slice.count)
            let stride = (slice.count + workers - 1) / workers
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let lower = worker * stride
                let upper = min(slice.count, lower + stride)
                guard lower < upper else { return }
                for offset in lower..<upper {
                    results.set(offset, Result { try transform(slice[slice.startIndex + offset]) })
                }
            }
            for offset in 0..<slice.count {
                try body(slice[slice.startIndex + offset], try results.get(offset).get())
            }
            start = end
        }
    }

    /// `transform` over `values` on every core, the results in order.
    public static func mapped<T: Sendable, R>(_ values: [T], _ transform: @escaping @Sendable (T) throws -> R) throws -> [R] {
        var out: [R] = []
        out.reserveCapacity(values.count)
        try map(values, transform) { _, result in out.append(result) }
        return out
    }

    /// Disjoint slots written by different workers: each index is written by exactly one of them.
    private final class Results<R>: @unchecked Sendable {
        private let slots: UnsafeMutableBufferPointer<Result<R, any Error>?>

        init(count: Int) {
            slots = .allocate(capacity: count)
            slots.initialize(repeating: nil)
        }

        deinit {
            slots.deinitialize()
            slots.deallocate()
        }

        func set(_ index: Int, _ value: Result<R, any Error>) { slots[index] = value }

        func get(_ index: Int) -> Result<R, any Error> { slots[index]! }
    }
}
