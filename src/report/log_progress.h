// LogProgress: progress as plain timestamped lines, for log files, pipes and CI output.
//
// Each line is "<ISO-8601 UTC> <text>\n": one when the run begins, one when a table starts, one
// when it finishes (rows, bytes, seconds, rows/s, bytes/s, or FAILED with the status), every
// Message, and a final summary from End(). Nothing is written per row; instead an overall
// progress line is written at most once per `overall_interval`, by whichever call notices that it
// is due (there is no timer thread, so a run that makes no calls writes no lines).
// Thread-safety: all methods may be called concurrently; lines are never interleaved.
#pragma once

#include <chrono>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

#include "report/progress.h"
#include "util/clock.h"

namespace tenantshift {

class LogProgress : public Progress {
 public:
  static constexpr std::chrono::seconds kDefaultOverallInterval{5};

  // REQUIRES: `out` and `clock` outlive this object.
  explicit LogProgress(
      std::ostream& out, const Clock& clock = SystemClock(),
      std::chrono::steady_clock::duration overall_interval = kDefaultOverallInterval);

  void Begin(int64_t total_tables, int64_t total_bytes_estimate) override;
  void TableStarted(const std::string& table, int64_t est_rows, int64_t est_bytes) override;
  void TableProgress(const std::string& table, int64_t rows, int64_t bytes) override;
  void TableFinished(const std::string& table, int64_t rows, int64_t bytes,
                     const Status& status) override;
  void Message(const std::string& line) override;
  void End() override;

 private:
  // Both REQUIRE mu_ held.
  void WriteLine(std::string_view text);
  void MaybeWriteOverall(TimePoint now);

  std::ostream& out_;
  const Clock& clock_;
  const std::chrono::steady_clock::duration overall_interval_;

  std::mutex mu_;
  ProgressTracker tracker_;  // Guarded by mu_.
  TimePoint last_overall_;   // Guarded by mu_. When the last overall line was due.
  bool ended_ = false;       // Guarded by mu_.
};

}  // namespace tenantshift
