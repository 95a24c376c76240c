// Progress: the user-facing live progress channel of a migration, separate from logging.
//
// Workers report what they do (table started, rows/bytes so far, table finished); an
// implementation decides how to show it: LogProgress (plain timestamped lines, for files and
// pipes), TerminalProgress (a live redrawn display for a TTY), NopProgress (tests).
// ProgressTracker holds the numbers and the rate/ETA math that the displays share.
//
// Thread-safety: every Progress implementation may be called from any number of threads at once.
// ProgressTracker is not thread-safe; its owner serializes access.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

#include "report/format.h"
#include "util/clock.h"
#include "util/status.h"

namespace tenantshift {

struct LogEvent;  // report/json_log.h

// Table names are whatever the caller passes (typically "schema.table"); they are only used as
// keys and printed, so any text is fine. Estimates <= 0 mean "unknown".
class Progress {
 public:
  virtual ~Progress() = default;

  // Starts the run. Call once, before the first table.
  virtual void Begin(int64_t total_tables, int64_t total_bytes_estimate) = 0;
  virtual void TableStarted(const std::string& table, int64_t est_rows, int64_t est_bytes) = 0;
  // `rows` and `bytes` are cumulative for the table so far. May be called per row: it takes a lock
  // and updates counters, and does no I/O or allocation except for a throttled status line.
  // Ignored for a table that is not in flight.
  virtual void TableProgress(const std::string& table, int64_t rows, int64_t bytes) = 0;
  // `rows`/`bytes` are the final cumulative counts; a non-ok `status` marks the table failed.
  virtual void TableFinished(const std::string& table, int64_t rows, int64_t bytes,
                             const Status& status) = 0;
  // A plain informational line for the user (one line; control characters are neutralized).
  virtual void Message(const std::string& line) = 0;
  // Ends the run: flushes and prints a final summary. Idempotent.
  virtual void End() = 0;
  // A structured event (a step started or finished, ...): only JSON logs write it
  // (report/json_log.h); other displays show the same through the calls above.
  virtual void Log(const LogEvent&) {}
};

class NopProgress : public Progress {
 public:
  void Begin(int64_t, int64_t) override {}
  void TableStarted(const std::string&, int64_t, int64_t) override {}
  void TableProgress(const std::string&, int64_t, int64_t) override {}
  void TableFinished(const std::string&, int64_t, int64_t, const Status&) override {}
  void Message(const std::string&) override {}
  void End() override {}
};

// Returns a TerminalProgress when `is_tty`, else a LogProgress, both writing to `out` and using
// the real clock. When `out` is std::cout or std::cerr/std::clog, the terminal width is read from
// that stream's file descriptor. REQUIRES: `out` outlives the returned object.
std::unique_ptr<Progress> MakeProgress(bool is_tty, std::ostream& out);

// amount / seconds, or 0 when seconds <= 0.
double RatePerSecond(int64_t amount, double seconds);
// done / total, or nullopt when total <= 0. Not clamped: may exceed 1 when an estimate was low.
std::optional<double> Fraction(int64_t done, int64_t total);
// Time left when `fraction` of the work took `elapsed_seconds` at a steady pace; nullopt when
// unknown (no fraction, nothing done yet, or the estimate is already exceeded).
std::optional<double> EtaSeconds(double elapsed_seconds, std::optional<double> fraction);
// Seconds from `from` to `to`, never negative.
double SecondsBetween(TimePoint from, TimePoint to);

// One in-flight or just-finished table.
struct TableSnapshot {
  std::string table;
  int64_t est_rows = 0;   // <= 0: unknown
  int64_t est_bytes = 0;  // <= 0: unknown
  int64_t rows = 0;       // cumulative
  int64_t bytes = 0;      // cumulative
  double seconds = 0;     // since TableStarted

  // Progress by bytes when est_bytes is known, else by rows when est_rows is known.
  std::optional<double> Done() const;
  std::optional<double> Eta() const { return EtaSeconds(seconds, Done()); }
  double RowsPerSecond() const { return RatePerSecond(rows, seconds); }
  double BytesPerSecond() const { return RatePerSecond(bytes, seconds); }
};

// The whole run. Bytes and rows include the partial counts of tables in flight.
struct OverallSnapshot {
  int64_t total_tables = 0;
  int64_t tables_finished = 0;  // succeeded + failed
  int64_t tables_failed = 0;
  int64_t tables_in_flight = 0;
  int64_t rows = 0;
  int64_t bytes = 0;
  int64_t bytes_estimate = 0;  // <= 0: unknown
  double seconds = 0;          // since Begin (or the first TableStarted)

  std::optional<double> Done() const { return Fraction(bytes, bytes_estimate); }
  std::optional<double> Eta() const { return EtaSeconds(seconds, Done()); }
  double BytesPerSecond() const { return RatePerSecond(bytes, seconds); }
};

// The numbers behind every display. Times are passed in, so it is pure and testable.
class ProgressTracker {
 public:
  void Begin(int64_t total_tables, int64_t total_bytes_estimate, TimePoint now);
  // Starting a table that is already in flight restarts it.
  void Start(const std::string& table, int64_t est_rows, int64_t est_bytes, TimePoint now);
  // Returns false (and changes nothing) when `table` is not in flight. Allocates nothing.
  bool Update(const std::string& table, int64_t rows, int64_t bytes);
  // Removes `table` from the in-flight set and returns its final numbers. A table that was never
  // started is counted with 0 seconds.
  TableSnapshot Finish(const std::string& table, int64_t rows, int64_t bytes, bool ok,
                       TimePoint now);
  OverallSnapshot Overall(TimePoint now) const;
  // In-flight tables in the order they started.
  std::vector<TableSnapshot> InFlight(TimePoint now) const;

 private:
  struct Entry {
    int64_t est_rows = 0;
    int64_t est_bytes = 0;
    int64_t rows = 0;
    int64_t bytes = 0;
    TimePoint started;
    uint64_t sequence = 0;  // start order, for a stable display
  };
  TableSnapshot Snapshot(const std::string& table, const Entry& e, TimePoint now) const;
  void EnsureBegun(TimePoint now);

  bool begun_ = false;
  TimePoint begin_;
  int64_t total_tables_ = 0;
  int64_t bytes_estimate_ = 0;
  int64_t finished_ = 0;
  int64_t failed_ = 0;
  int64_t finished_rows_ = 0;
  int64_t finished_bytes_ = 0;
  int64_t in_flight_rows_ = 0;   // sum of Entry::rows
  int64_t in_flight_bytes_ = 0;  // sum of Entry::bytes
  uint64_t next_sequence_ = 0;
  std::unordered_map<std::string, Entry> in_flight_;
};

// Lines shared by the displays (no timestamp, no trailing newline, control characters
// neutralized):
//   "started public.orders (~1.2M rows, ~150.0 MiB)"
//   "done public.orders: 1,000 rows, 1.5 MiB in 2.0s (500 rows/s, 768.0 KiB/s)"
//   "FAILED public.orders after 2.0s (10 rows, 1.0 KiB): <status>"
std::string StartedLine(const std::string& table, int64_t est_rows, int64_t est_bytes);
std::string FinishedLine(const TableSnapshot& t, const Status& status);
// "progress: 3/10 tables (1 failed), 2 in flight, 15.0 MiB of ~100.0 MiB (15%), 7.5 MiB/s, ETA 11s"
std::string OverallLine(const OverallSnapshot& o);
// "finished: 10/10 tables (1 failed), 100.0 MiB, 1,234 rows in 1m05s (1.5 MiB/s)"
std::string FinalLine(const OverallSnapshot& o);

}  // namespace tenantshift
