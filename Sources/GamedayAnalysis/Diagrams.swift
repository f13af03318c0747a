import GamedayModel

/// Bow-tie and dependency diagrams of an analysis, as Mermaid or Graphviz DOT.
///
/// A bow-tie reads left to right: the threat (the injection occurring), the preventive barriers
/// in the order they act, the top event (the injection taking effect on its target), the
/// detective barriers and the mitigations, and the consequences (customer-facing services in the
/// blast radius). Every node carries its numbers; edges on the left carry the exact chance of
/// getting that far. The dependency diagram draws every service with the injection's blast
/// radius highlighted (arrows point from a service to what it depends on).
public enum Diagrams {
    /// One injection's bow-tie as a complete diagram.
    public static func bowTie(_ injection: InjectionAnalysis, syntax: DiagramSyntax) -> String {
        var graph = DiagramGraph(title: "\(injection.id): bow-tie")
        addBowTie(injection, prefix: "b_", to: &graph, cluster: graph.root)
        return graph.render(syntax)
    }

    /// The service dependency graph, with an injection's blast radius highlighted when given.
    public static func serviceGraph(_ analysis: ScenarioAnalysis, blastRadiusOf injection: InjectionAnalysis?, syntax: DiagramSyntax) -> String {
        var graph = DiagramGraph(title: injection.map { "\(analysis.scenarioID): blast radius of \($0.id)" } ?? "\(analysis.scenarioID): services")
        addServices(analysis, injection: injection, prefix: "s_", to: &graph, cluster: graph.root)
        return graph.render(syntax)
    }

    /// One diagram holding, for each injection given, its bow-tie and its blast radius, each in
    /// its own subgraph (cluster), so that several injections fit in one file.
    public static func document(_ analysis: ScenarioAnalysis, injections: [InjectionAnalysis], syntax: DiagramSyntax) -> String {
        var title = analysis.scenarioID
        if !analysis.controls.isEmpty { title += " with " + analysis.controls.joined(separator: ", ") }
        var graph = DiagramGraph(title: title)
        for (index, injection) in injections.enumerated() {
            let bowTie = DiagramGraph.Cluster(id: "i\(index)_bowtie", label: "\(injection.id): bow-tie")
            graph.root.clusters.append(bowTie)
            addBowTie(injection, prefix: "i\(index)_b_", to: &graph, cluster: bowTie)
            let services = DiagramGraph.Cluster(id: "i\(index)_services", label: "\(injection.id): blast radius")
            graph.root.clusters.append(services)
            addServices(analysis, injection: injection, prefix: "i\(index)_s_", to: &graph, cluster: services)
        }
        return graph.render(syntax)
    }

    // MARK: Building

    static func addBowTie(_ a: InjectionAnalysis, prefix: String, to graph: inout DiagramGraph, cluster: DiagramGraph.Cluster) {
        let p = AnalysisFormat.probability
        let threat = prefix + "threat"
        var threatLines = ["Threat: \(a.id)"]
        switch a.occurrence.kind {
        case .scheduled: threatLines.append("occurs \(p(a.occurrence.probability))")
        case .triggered:
            threatLines.append("occurs \(p(a.occurrence.probability))")
            if let condition = a.occurrence.condition { threatLines.append("if \(AnalysisFormat.condition(condition))") }
        case .dormant: threatLines.append("dormant: added by drills")
        }
        cluster.nodes.append(.init(id: threat, lines: threatLines, kind: .threat))

        // Left: prevention, in the order the barriers act, each edge with the chance of getting past.
        let prevention = DiagramGraph.Cluster(id: prefix + "prevention", label: "Prevention: passes \(p(a.prevention.passes))")
        var last = threat
        var layers: [BarrierLayer] = []
        for (index, barrier) in a.prevention.barriers.enumerated() {
            let id = prefix + "p\(index)"
            var lines = [barrier.id, "stops \(p(barrier.stopChance))\(barrier.uncertain ? " (mean)" : "")"]
            if let cc = barrier.commonCause {
                lines.append("common cause \(cc.group), beta \(Scalars.formatPercent(cc.beta))")
                lines.append("effective \(p(barrier.effectiveness))")
            }
            lines.append("RRF \(AnalysisFormat.factor(barrier.riskReductionFactor)), marginal \(AnalysisFormat.points(barrier.marginalValue))")
            if let control = barrier.addedBy { lines.append("added by \(control)") }
            prevention.nodes.append(.init(id: id, lines: lines, kind: barrier.stopChance > 0 ? .prevent : .weak))
            graph.edges.append(.init(from: last, to: id, label: index == 0 ? nil : "passes \(p(BarrierMath.allFail(layers)))"))
            layers.append(BarrierLayer(id: barrier.id, chance: barrier.stopChance, commonCause: barrier.commonCause))
            last = id
        }
        if !prevention.nodes.isEmpty { cluster.clusters.append(prevention) }

        let top = prefix + "top"
        cluster.nodes.append(.init(id: top, lines: ["Top event: \(a.id) takes effect",
                                                     "\(a.target) at \(Scalars.formatPercent(a.errorRate)) errors",
                                                     "passes prevention \(p(a.prevention.passes))"], kind: .topEvent))
        graph.edges.append(.init(from: last, to: top, label: a.prevention.barriers.isEmpty ? "no prevention" : "passes \(p(a.prevention.passes))"))

        // Right: detection, drawn in parallel because any one detect barrier suffices; then what
        // ends the injection, in series.
        var previous = [top]
        let detection = DiagramGraph.Cluster(id: prefix + "detection", label: "Detection: coverage \(p(a.detection.coverage))")
        for (index, barrier) in a.detection.barriers.enumerated() {
            let id = prefix + "d\(index)"
            var lines = [barrier.id, "watches \(barrier.watches): \(barrier.condition)",
                         "works \(p(barrier.reliability))\(barrier.uncertain ? " (mean)" : "")"]
            if let cc = barrier.commonCause {
                lines.append("common cause \(cc.group), beta \(Scalars.formatPercent(cc.beta))")
            }
            lines.append("pages \(barrier.notifies ?? "nobody")")
            if !barrier.thresholdReachable { lines.append("cannot fire on \(a.id) alone") }
            detection.nodes.append(.init(id: id, lines: lines, kind: barrier.isEffective && barrier.reliability > 0 ? .detect : .weak))
            graph.edges.append(.init(from: top, to: id, label: nil))
        }
        if !detection.nodes.isEmpty {
            cluster.clusters.append(detection)
            previous = detection.nodes.map(\.id)
        }

        let mitigation = DiagramGraph.Cluster(id: prefix + "mitigation", label: "Mitigation: \(AnalysisFormat.healing(a.lasts))")
        func link(to id: String, dashed: Bool = false) {
            let undetected = previous == [top] ? "undetected \(p(1 - a.detection.coverage))" : nil
            for from in previous { graph.edges.append(.init(from: from, to: id, label: undetected, dashed: dashed)) }
            previous = [id]
        }
        for (index, remover) in a.mitigation.removers.enumerated() {
            let id = prefix + "m\(index)"
            var lines = [remover.id]
            if remover.automatic {
                lines.append("automatic" + (remover.condition.map { " when \(AnalysisFormat.condition($0))" } ?? ""))
            } else {
                lines.append("used by \(remover.usedBy.isEmpty ? "nobody" : remover.usedBy.joined(separator: ", "))")
            }
            lines.append("works \(p(remover.reliability)) per attempt")
            let runnable = remover.automatic ? remover.conditionReachable != false : !remover.usedBy.isEmpty
            mitigation.nodes.append(.init(id: id, lines: lines, kind: runnable ? .mitigate : .weak))
            link(to: id)
        }
        for (index, cap) in a.caps.enumerated() {
            let id = prefix + "c\(index)"
            let lines = [cap.barrier,
                         "caps \(cap.service) on \(cap.dependency): weight \(Scalars.formatPercent(cap.weight)) to \(Scalars.formatPercent(cap.cappedWeight))",
                         cap.automatic ? "automatic" : "used by \(cap.usedBy.isEmpty ? "nobody" : cap.usedBy.joined(separator: ", "))"]
            mitigation.nodes.append(.init(id: id, lines: lines, kind: .cap))
            link(to: id, dashed: true)
        }
        if mitigation.nodes.isEmpty {
            let id = prefix + "m_none"
            mitigation.nodes.append(.init(id: id, lines: ["no mitigation removes \(a.id)", AnalysisFormat.healing(a.lasts)], kind: .weak))
            link(to: id, dashed: true)
        }
        cluster.clusters.append(mitigation)

        let consequences = a.consequences
        if consequences.isEmpty {
            let id = prefix + "k0"
            cluster.nodes.append(.init(id: id, lines: ["No customer-facing service affected",
                                                        "internal: \(a.blastRadius.map(\.id).joined(separator: ", "))"], kind: .consequence))
            graph.edges.append(.init(from: previous[0], to: id, label: nil))
        }
        for (index, service) in consequences.enumerated() {
            let id = prefix + "k\(index)"
            var lines = ["Consequence: \(service.id) at \(AnalysisFormat.probability(service.peakErrorRate)) errors"]
            if let traffic = service.traffic { lines.append("\(Scalars.formatCount(traffic * 60))/min failing at that rate") }
            cluster.nodes.append(.init(id: id, lines: lines, kind: .consequence))
            graph.edges.append(.init(from: previous[0], to: id, label: nil))
        }
    }

    static func addServices(_ analysis: ScenarioAnalysis, injection: InjectionAnalysis?, prefix: String, to graph: inout DiagramGraph, cluster: DiagramGraph.Cluster) {
        let affected = Dictionary(uniqueKeysWithValues: (injection?.blastRadius ?? []).map { ($0.id, $0) })
        var ids: [String: String] = [:]
        for (index, service) in analysis.services.enumerated() {
            let id = prefix + "\(index)"
            ids[service.id] = id
            var lines = [service.id]
            if let traffic = service.traffic { lines.append("\(Scalars.formatCount(traffic * 60))/min") }
            let kind: DiagramGraph.NodeKind
            if let hit = affected[service.id] {
                lines.append("\(AnalysisFormat.probability(hit.peakErrorRate)) errors")
                kind = hit.depth == 0 ? .target : .affected
            } else {
                kind = .service
            }
            cluster.nodes.append(.init(id: id, lines: lines, kind: kind))
        }
        let caps = injection?.caps ?? []
        for service in analysis.services {
            for edge in service.dependsOn {
                guard let from = ids[service.id], let to = ids[edge.service] else { continue }
                var labels: [String] = []
                if edge.weight < 1 { labels.append("weight \(Scalars.formatPercent(edge.weight))") }
                for cap in caps where cap.service == service.id && cap.dependency == edge.service {
                    labels.append("\(cap.barrier) caps at \(Scalars.formatPercent(cap.cappedWeight))")
                }
                let spreads = edge.weight > 0 && affected[service.id] != nil && affected[edge.service] != nil
                graph.edges.append(.init(from: from, to: to, label: labels.isEmpty ? nil : labels.joined(separator: ", "),
                                         dashed: edge.weight < 1, highlighted: spreads))
            }
        }
    }
}
