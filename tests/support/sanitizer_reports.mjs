// Role: notices sanitizer reports (AddressSanitizer, LeakSanitizer, UndefinedBehavior-
// Sanitizer, ThreadSanitizer) in the output of the programs a Node test file starts, and
// makes the test file fail if any appeared.
// Why: with the asan or tsan preset the servers under test are instrumented. A report in
// the middle of a test kills the server, so the test fails anyway; but a report while a
// server shuts down (a leak, a use after free during the drain) comes after the last
// assertion, from a process the harness only stops. This module keeps it from passing
// unnoticed: the report is printed to stderr and the file's exit status is 1.
// Thread affinity: the test process's single JS thread.
// Ownership: holds at most a few KiB of report text per reporting process.

const START_RE = /==\d+==ERROR: (Address|Leak)Sanitizer|WARNING: ThreadSanitizer|: runtime error: |SUMMARY: \w+Sanitizer/;
const REPORT_LIMIT = 8 * 1024;
// A marker may be cut between two reads of a pipe: keep the end of the previous chunk.
const CARRY = 256;

const reports = [];

/**
 * Watches `proc`'s stdout and stderr (both must be pipes) for a sanitizer report;
 * `what` names the program in the message (e.g. "room on port 4000").
 */
export function watchSanitizerReports(proc, what) {
  let carry = "";
  let report = null;
  const onData = (chunk) => {
    const text = carry + chunk.toString("utf8");
    if (report === null) {
      const m = START_RE.exec(text);
      if (m) {
        report = { what, pid: proc.pid, text: text.slice(m.index, m.index + REPORT_LIMIT) };
        reports.push(report);
      }
    } else if (report.text.length < REPORT_LIMIT) {
      report.text += text.slice(carry.length, carry.length + REPORT_LIMIT - report.text.length);
    }
    carry = text.slice(-CARRY);
  };
  proc.stdout?.on("data", onData);
  proc.stderr?.on("data", onData);
}

/** The reports seen so far ({what, pid, text}). */
export function sanitizerReports() {
  return reports;
}

// At the end of the file's process: the test runner has reported every test; a report
// turns the file's exit status into a failure and is printed where ctest shows it.
process.on("exit", () => {
  if (reports.length === 0) return;
  for (const r of reports) {
    process.stderr.write(`\n--- sanitizer report from ${r.what} (pid ${r.pid}) ---\n${r.text}\n`);
  }
  process.stderr.write(`${reports.length} sanitizer report(s) from the programs this test file started: failing it\n`);
  process.exitCode = 1;
});
