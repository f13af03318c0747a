import ArgumentParser
import Foundation
import GamedayModel
import GamedayRecords

/// `gameday kb DIR metrics|recurrence|actions`: the knowledge base across postmortem records.
struct KB: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb",
        abstract: "Metrics, recurrence and actions across the postmortem records in a folder.",
        discussion: """
        metrics: time to detect, acknowledge, mitigate and resolve (from times.started) by category, severity and \
        quarter, with n, median and p90 (nearest rank) and mean; drills and near misses apart from incidents; \
        recurrence rate and "recurred after the fix" per category; action counts.
        recurrence: records sharing a fingerprint or linked recurrence-of.
        actions: open, overdue by owner, done, verified (from evidence), time to close, findings without action. \
        --format csv is ready for a ticket tracker's import; --format ics writes an iCalendar file of due dates with reminders.

        Records with errors are reported on stderr; those whose structure is sound are still counted. \
        Exit status: 0; 1 when the folder has no records to count, or with --strict when any record has errors; \
        2 on usage errors.
        """
    )

    @Argument(help: "The folder of records (searched recursively).", completion: .directory)
    var directory: String

    @Argument(help: "metrics, recurrence or actions.")
    var report: KBReportArgument

    @Option(help: "Count overdue actions on this day (YYYY-MM-DD; default today).")
    var asOf: String?

    @Option(help: "text, json, csv, markdown, or ics (actions only).")
    var format: KBFormatArgument = .text

    @Option(help: "ics: days before the due date for the reminder.")
    var remindDays: Int = 3

    @Option(help: "Write to this file instead of printing.")
    var out: String?

    @Flag(help: "Exit 1 when any record has errors.")
    var strict = false

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandFailure.usage("\(directory): not a folder")
        }
        if format == .ics, report != .actions { throw CommandFailure.usage("--format ics is for 'actions' (the due dates of actions)") }
        guard remindDays >= 0 else { throw CommandFailure.usage("--remind-days must be zero or more") }
        let asOf = try Postmortem.asOf(asOf)
        let kb = KnowledgeBase.load(directory: directory)
        for problem in kb.problems {
            for d in problem.diagnostics { Terminal.printDiagnostic(d) }
        }
        if kb.entries.isEmpty {
            let why = kb.problems.isEmpty
                ? " (a record is a .yaml or .yml file with a top-level 'postmortem:' key; gameday postmortem new writes one)"
                : " that could be counted (\(kb.problems.count) file\(kb.problems.count == 1 ? " has" : "s have") errors, above)"
            throw CommandFailure.failed("no postmortem records under \(directory)" + why)
        }
        if !kb.problems.isEmpty {
            let counted = kb.problems.filter(\.counted).count
            Terminal.errorRaw("note: \(kb.problems.count) file\(kb.problems.count == 1 ? " has" : "s have") errors (\(counted) still counted); run gameday postmortem validate \(directory)")
        }
        let text: String
        switch report {
        case .metrics:
            let metrics = MetricsReport(kb, asOf: asOf)
            switch format {
            case .text: text = metrics.text
            case .json: text = metrics.json.pretty + "\n"
            case .csv: text = metrics.csv
            case .markdown: text = metrics.markdown
            case .ics: text = ""
            }
        case .recurrence:
            let recurrence = RecurrenceReport(kb)
            switch format {
            case .text: text = recurrence.text
            case .json: text = recurrence.json.pretty + "\n"
            case .csv: text = recurrence.csv
            case .markdown: text = recurrence.markdown
            case .ics: text = ""
            }
        case .actions:
            let actions = ActionsReport(kb, asOf: asOf)
            switch format {
            case .text: text = actions.text
            case .json: text = actions.json.pretty + "\n"
            case .csv: text = actions.csv
            case .markdown: text = actions.markdown
            case .ics: text = actions.ics(remindDays: remindDays)
            }
        }
        try Postmortem.emit(text, to: out)
        if strict, !kb.problems.isEmpty { throw ExitCode(1) }
    }
}

enum KBReportArgument: String, ExpressibleByArgument, CaseIterable {
    case metrics, recurrence, actions
}

enum KBFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv, markdown, ics
}
