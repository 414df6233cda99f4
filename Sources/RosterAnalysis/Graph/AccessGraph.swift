public import RosterModel

/// The access graph: principals, admin nodes, shared policy sets and sensitive resources as
/// nodes; the edges the edge rules derived (and the links and memberships sources state) between
/// them. Built once from a list of edges, in compressed adjacency arrays, so every query is one
/// linear pass over the edges:
/// - ``towards(_:)``: for every node at once, the first step of a shortest path to any target
///   (the admin nodes), by one breadth-first search over reversed edges;
/// - ``reachable(from:)``: everything a node reaches, with how;
/// - ``reaching(_:)``: everything that reaches a node.
///
/// `holds` edges (a principal to the policy set it shares with others) cost nothing: a path
/// through a set counts the set's edge as the step.
///
/// For example:
/// ```swift
/// let graph = AccessGraph(edges: edges)
/// let next = graph.towards(graph.adminNodes)
/// graph.path(from: graph.node("arn:aws:iam::111122223333:user/ci")!, next: next)   // [Edge]
/// ```
public struct AccessGraph: Sendable {
    /// Edge kinds a path may follow.
    public static let traversable: Set<EdgeKind> = [.canTakeOver, .holds, .expandsTo, .actsAs, .canAccess, .holdsCredentialOf]

    public let ids: [String]
    public let edges: [Edge]
    let index: [String: Int]
    let from: [Int32]
    let to: [Int32]
    let outStart: [Int32]
    let outList: [Int32]
    let inStart: [Int32]
    let inList: [Int32]

    public init(edges all: [Edge]) {
        let edges = all.filter { Self.traversable.contains($0.kind) && GraphBuilder.follows($0) }
        var index: [String: Int] = [:]
        var ids: [String] = []
        func node(_ id: String) -> Int32 {
            if let found = index[id] { return Int32(found) }
            index[id] = ids.count
            ids.append(id)
            return Int32(ids.count - 1)
        }
        var from: [Int32] = []
        var to: [Int32] = []
        from.reserveCapacity(edges.count)
        to.reserveCapacity(edges.count)
        for edge in edges {
            from.append(node(edge.from))
            to.append(node(edge.to))
        }
        (outStart, outList) = Self.adjacency(count: ids.count, keys: from)
        (inStart, inList) = Self.adjacency(count: ids.count, keys: to)
        self.ids = ids
        self.index = index
        self.edges = edges
        self.from = from
        self.to = to
    }

    /// Edge indices grouped by `keys[edge]`, as start offsets and a flat list (counting sort).
    static func adjacency(count: Int, keys: [Int32]) -> ([Int32], [Int32]) {
        var start = [Int32](repeating: 0, count: count + 1)
        for key in keys { start[Int(key) + 1] += 1 }
        for i in 0..<count { start[i + 1] += start[i] }
        var fill = start
        var list = [Int32](repeating: 0, count: keys.count)
        for (edge, key) in keys.enumerated() {
            list[Int(fill[Int(key)])] = Int32(edge)
            fill[Int(key)] += 1
        }
        return (start, list)
    }

    public func node(_ id: String) -> Int? { index[id] }

    /// Every admin node (`admin:<scope>`) in the graph.
    public var adminNodes: [Int] { ids.indices.filter { GraphFragment.isAdminNode(ids[$0]) } }

    /// Every sensitive-resource node in the graph, or those of the given kinds (`secrets`, `kms`…).
    public func sensitiveNodes(kinds: Set<String>? = nil) -> [Int] {
        ids.indices.filter { i in
            guard GraphFragment.isSensitiveNode(ids[i]) else { return false }
            guard let kinds else { return true }
            return ids[i].split(separator: ":").last.map { kinds.contains(String($0)) } ?? false
        }
    }

    func weight(_ edge: Int) -> Int { edges[edge].kind == .holds || edges[edge].kind == .expandsTo ? 0 : 1 }

    /// For every node, the edge that starts a shortest path to one of `targets` (-1 when none does,
    /// or for the targets themselves), and the path's length in steps. 0-1 breadth-first search over
    /// reversed edges: linear in edges.
    public func towards(_ targets: [Int]) -> (next: [Int32], distance: [Int32]) {
        var next = [Int32](repeating: -1, count: ids.count)
        var distance = [Int32](repeating: .max, count: ids.count)
        var deque = Deque(capacity: ids.count)
        for target in targets {
            distance[target] = 0
            deque.pushBack(Int32(target))
        }
        while let current = deque.popFront() {
            let node = Int(current)
            for position in Int(inStart[node])..<Int(inStart[node + 1]) {
                let edge = Int(inList[position])
                let source = Int(from[edge])
                let candidate = distance[node] + Int32(weight(edge))
                guard candidate < distance[source] else { continue }
                distance[source] = candidate
                next[source] = Int32(edge)
                if weight(edge) == 0 { deque.pushFront(Int32(source)) } else { deque.pushBack(Int32(source)) }
            }
        }
        return (next, distance)
    }

    /// The edges of the shortest path from `start`, following `next` from ``towards(_:)``.
    public func path(from start: Int, next: [Int32]) -> [Edge] {
        var out: [Edge] = []
        var node = start
        var seen: Set<Int> = [start]
        while next[node] >= 0 {
            let edge = Int(next[node])
            out.append(edges[edge])
            node = Int(to[edge])
            guard seen.insert(node).inserted else { break }
        }
        return out
    }

    /// Everything `start` reaches, nearest first, each with the edge that reached it first (0-1 BFS).
    public func reachable(from start: Int) -> [(node: Int, via: Int, distance: Int)] {
        var distance = [Int32](repeating: .max, count: ids.count)
        var via = [Int32](repeating: -1, count: ids.count)
        var deque = Deque(capacity: ids.count)
        distance[start] = 0
        deque.pushBack(Int32(start))
        var settled: [Int] = []
        var done = [Bool](repeating: false, count: ids.count)
        while let current = deque.popFront() {
            let node = Int(current)
            if done[node] { continue }
            done[node] = true
            if node != start { settled.append(node) }
            for position in Int(outStart[node])..<Int(outStart[node + 1]) {
                let edge = Int(outList[position])
                let target = Int(to[edge])
                let candidate = distance[node] + Int32(weight(edge))
                guard candidate < distance[target] else { continue }
                distance[target] = candidate
                via[target] = Int32(edge)
                if weight(edge) == 0 { deque.pushFront(Int32(target)) } else { deque.pushBack(Int32(target)) }
            }
        }
        return settled.map { ($0, Int(via[$0]), Int(distance[$0])) }
    }

    /// The path from `start` to `target` through the `via` edges ``reachable(from:)`` returned.
    public func path(to target: Int, via: [Int: Int]) -> [Edge] {
        var out: [Edge] = []
        var node = target
        var guardSteps = 0
        while let edge = via[node], guardSteps <= ids.count {
            out.append(edges[edge])
            node = Int(from[edge])
            guardSteps += 1
        }
        return out.reversed()
    }

    /// Every node that reaches `target`, nearest first.
    public func reaching(_ target: Int) -> [Int] {
        var seen = [Bool](repeating: false, count: ids.count)
        seen[target] = true
        var queue = [target]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for position in Int(inStart[node])..<Int(inStart[node + 1]) {
                let source = Int(from[Int(inList[position])])
                if !seen[source] {
                    seen[source] = true
                    queue.append(source)
                }
            }
        }
        return Array(queue.dropFirst())
    }

    /// A path as people read it: shared policy sets folded into the step they enable.
    public static func steps(_ path: [Edge]) -> [Edge] {
        var out: [Edge] = []
        var holder: String?
        var held: [StatementRef] = []
        for edge in path {
            // "every user" → one user: the step before reaches that user.
            if edge.kind == .expandsTo, !out.isEmpty {
                out[out.count - 1].to = edge.to
                continue
            }
            if edge.kind == .holds {
                holder = holder ?? edge.from
                held += edge.statements
                continue
            }
            var step = edge
            if let holder {
                step.from = holder
                // A hub's own statements (the binding that put the principal in it) come first.
                let all = held + edge.statements
                step.statement = all.first
                step.otherStatements = all.count > 1 ? Array(all.dropFirst()) : nil
            }
            holder = nil
            held = []
            out.append(step)
        }
        return out
    }
}

/// A fixed-capacity ring buffer of node indices, for 0-1 breadth-first search: each node is
/// pushed at most once per improvement, so twice the node count bounds it in practice; it grows if not.
struct Deque {
    private var storage: [Int32]
    private var head = 0
    private var count = 0

    init(capacity: Int) { storage = [Int32](repeating: 0, count: max(16, capacity * 2)) }

    mutating func pushBack(_ value: Int32) {
        if count == storage.count { grow() }
        storage[(head + count) % storage.count] = value
        count += 1
    }

    mutating func pushFront(_ value: Int32) {
        if count == storage.count { grow() }
        head = (head - 1 + storage.count) % storage.count
        storage[head] = value
        count += 1
    }

    mutating func popFront() -> Int32? {
        guard count > 0 else { return nil }
        let value = storage[head]
        head = (head + 1) % storage.count
        count -= 1
        return value
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: 0, count: storage.count * 2)
        for i in 0..<count { bigger[i] = storage[(head + i) % storage.count] }
        storage = bigger
        head = 0
    }
}
