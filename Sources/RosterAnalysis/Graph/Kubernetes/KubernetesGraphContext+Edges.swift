import RosterModel

/// Turning where a fan technique reaches into edges: direct, or through hub nodes.
extension KubernetesGraphContext {
    func clusterHub(_ fan: Fan) -> String { KubernetesGraph.hubNode(scope, rule: fan.rule, namespace: nil) }
    func namespaceHub(_ fan: Fan, _ namespace: String) -> String { KubernetesGraph.hubNode(scope, rule: fan.rule, namespace: namespace) }

    /// The hub nodes in use, with labels.
    var hubLabels: [String: String] {
        var out: [String: String] = [:]
        for fan in clusterHubs { out[clusterHub(fan)] = "whoever can \(fan.hubAction) in every namespace of cluster \(cluster)" }
        for (fan, list) in namespaceHubs {
            for namespace in list {
                out[namespaceHub(fan, namespace)] = "whoever can \(fan.hubAction) in namespace \(namespace) of cluster \(cluster)"
            }
        }
        for hubs in namedHubs.values {
            for hub in hubs.values { out[hub.id] = hub.label }
        }
        return out
    }

    /// The edges a fan technique gives a principal (to its targets, or to the hubs that hold them), and the
    /// edges from hubs to the principal as a target; an edge to the admin node when the technique ends there.
    func fanEdges(_ fan: Fan, _ principal: Int) -> [Edge] {
        let reach = reach(fan, principal)
        var out: [Edge] = []
        if let why = reach.admin {
            out.append(
                edge(
                    principal,
                    to: adminNode,
                    rule: fan.rule,
                    reason: "it can \(why.action) through \(why.roles), which makes it an administrator of cluster \(cluster)",
                    why.refs,
                    conditions: why.conditions
                )
            )
        }
        func direct(_ why: Why, place: String, to targets: [Int]) {
            for target in targets where target != principal {
                out.append(
                    edge(
                        principal,
                        to: principals[target].id,
                        rule: fan.rule,
                        reason: "it can \(why.action) \(place) through \(why.roles), so it can \(outcome(fan, target))",
                        why.refs,
                        conditions: why.conditions
                    )
                )
            }
        }
        if let why = reach.everywhere {
            if clusterHubs.contains(fan) {
                out.append(holds(principal, hub: clusterHub(fan), fan, reason: "it can \(why.action) in every namespace through \(why.roles)", why))
            } else {
                for namespace in namespaces where reach.namespaces[namespace] == nil {
                    direct(why, place: "in every namespace, \(namespace) included,", to: targets(fan, in: namespace))
                }
            }
        }
        for (namespace, why) in reach.namespaces.sorted(by: { $0.key < $1.key }) {
            if namespaceHubs[fan]?.contains(namespace) == true {
                out.append(
                    holds(
                        principal,
                        hub: namespaceHub(fan, namespace),
                        fan,
                        reason: "it can \(why.action) in namespace \(namespace) through \(why.roles)",
                        why
                    )
                )
            } else {
                direct(why, place: "in namespace \(namespace)", to: targets(fan, in: namespace))
            }
        }
        var heldHubs: Set<String> = []
        for named in reach.named where named.target != principal {
            if let hub = namedHubs[fan]?[named.source] {
                if heldHubs.insert(hub.id).inserted {
                    out.append(
                        holds(
                            principal,
                            hub: hub.id,
                            fan,
                            reason:
                                "it can \(named.why.action) by name through \(named.why.roles), whose resourceNames name \(named.detail) and others",
                            named.why
                        )
                    )
                }
                continue
            }
            out.append(
                edge(
                    principal,
                    to: principals[named.target].id,
                    rule: fan.rule,
                    reason:
                        "it can \(named.why.action) in namespace \(namespaceOf[named.target]) through \(named.why.roles), whose resourceNames name \(named.detail), so it can \(outcome(fan, named.target))",
                    named.why.refs,
                    conditions: named.why.conditions
                )
            )
        }
        // As a target: the hubs that reach it.
        let me = principals[principal].id
        for hub in namedHubsOf[fan]?[principal] ?? [] {
            out.append(
                Edge(
                    from: hub,
                    to: me,
                    kind: .canTakeOver,
                    rule: fan.rule,
                    reason: "that rule's resourceNames reach \(account(principal)), so whoever holds it can \(outcome(fan, principal))"
                )
            )
        }
        if isTarget(fan, principal) {
            if clusterHubs.contains(fan) {
                out.append(
                    Edge(
                        from: clusterHub(fan),
                        to: me,
                        kind: .canTakeOver,
                        rule: fan.rule,
                        reason: "whoever can \(fan.hubAction) in every namespace can \(outcome(fan, principal))"
                    )
                )
            }
            if namespaceHubs[fan]?.contains(namespaceOf[principal]) == true {
                out.append(
                    Edge(
                        from: namespaceHub(fan, namespaceOf[principal]),
                        to: me,
                        kind: .canTakeOver,
                        rule: fan.rule,
                        reason: "whoever can \(fan.hubAction) in namespace \(namespaceOf[principal]) can \(outcome(fan, principal))"
                    )
                )
            }
        }
        return out
    }

    /// A principal's edge to a hub: `holds`, carrying the statements that let it use the hub's edges.
    func holds(_ principal: Int, hub: String, _ fan: Fan, reason: String, _ why: Why) -> Edge {
        Edge(
            from: principals[principal].id,
            to: hub,
            kind: .holds,
            rule: fan.rule,
            reason: reason,
            conditions: why.conditions,
            statement: why.refs.first,
            otherStatements: why.refs.count > 1 ? Array(why.refs.dropFirst()) : nil
        )
    }
}
