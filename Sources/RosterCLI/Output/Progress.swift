import Foundation

/// A progress bar on stderr that appears only for work taking longer than a second, and only on a terminal.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var phase = ""
    private var done = 0
    private var total = 0
    private let start = Date()
    private var drawn = false
    private var finished = false
    private let enabled: Bool
    private var timer: Thread?

    init(enabled: Bool = Terminal.stderrIsTTY) {
        self.enabled = enabled
        guard enabled else { return }
        let thread = Thread { [weak self] in
            while let self, !self.isFinished {
                Thread.sleep(forTimeInterval: 0.1)
                self.draw()
            }
        }
        timer = thread
        thread.start()
    }

    private var isFinished: Bool { lock.withLock { finished } }

    func update(_ phase: String, done: Int = 0, total: Int = 0) {
        lock.withLock {
            self.phase = phase
            self.done = done
            self.total = total
        }
    }

    private func draw() {
        lock.withLock {
            guard !finished, Date().timeIntervalSince(start) > 1 else { return }
            let width = 30
            let bar: String
            if total > 0 {
                let filled = min(width, done * width / max(total, 1))
                bar = "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "] \(done)/\(total)"
            } else {
                let spinner = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
                bar = String(spinner[Int(Date().timeIntervalSince(start) * 10) % spinner.count])
            }
            let elapsed = String(format: "%.1fs", Date().timeIntervalSince(start))
            let line = "\r\u{1B}[2K\(bar) \(Sanitize.text(String(phase.suffix(60)))) \(elapsed)"
            FileHandle.standardError.write(Data(line.utf8))
            drawn = true
        }
    }

    func finish() {
        lock.withLock {
            finished = true
            if drawn { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        }
    }
}

/// Phase durations on stderr, for `ROSTER_TIMINGS=1` (benchmarks and bug reports).
final class PhaseTimer: @unchecked Sendable {
    private var last = Date()
    private var current: String?
    private let enabled: Bool

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func mark(_ phase: String) {
        guard enabled else { return }
        let now = Date()
        Terminal.info(String(format: "timing: %@ %.2fs", phase, now.timeIntervalSince(last)))
        last = now
    }

    /// Follows a progress step ("reading x.json", "analysing"): when its first word changes, the
    /// previous phase is timed. Called from one task at a time.
    func follow(_ step: String) {
        guard enabled else { return }
        let phase = String(step.split(separator: " ").first ?? "")
        guard phase != current else { return }
        if let current { mark(current) }
        current = phase
    }

    /// Times the phase in progress, if any.
    func finish() {
        if let current { mark(current) }
        current = nil
    }
}
