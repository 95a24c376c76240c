#include "report/log_progress.h"

namespace tenantshift {

LogProgress::LogProgress(std::ostream& out, const Clock& clock,
                         std::chrono::steady_clock::duration overall_interval)
    : out_(out), clock_(clock), overall_interval_(overall_interval), last_overall_(clock.Now()) {}

void LogProgress::Begin(int64_t total_tables, int64_t total_bytes_estimate) {
  std::lock_guard<std::mutex> lock(mu_);
  const TimePoint now = clock_.Now();
  tracker_.Begin(total_tables, total_bytes_estimate, now);
  last_overall_ = now;
  std::string text = StringPrintf("begin: %lld tables", static_cast<long long>(total_tables));
  if (total_bytes_estimate > 0) text += StrCat({", ~", HumanBytes(total_bytes_estimate)});
  WriteLine(text);
}

void LogProgress::TableStarted(const std::string& table, int64_t est_rows, int64_t est_bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  const TimePoint now = clock_.Now();
  tracker_.Start(table, est_rows, est_bytes, now);
  WriteLine(StartedLine(table, est_rows, est_bytes));
  MaybeWriteOverall(now);
}

void LogProgress::TableProgress(const std::string& table, int64_t rows, int64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  if (tracker_.Update(table, rows, bytes)) MaybeWriteOverall(clock_.Now());
}

void LogProgress::TableFinished(const std::string& table, int64_t rows, int64_t bytes,
                                const Status& status) {
  std::lock_guard<std::mutex> lock(mu_);
  const TimePoint now = clock_.Now();
  WriteLine(FinishedLine(tracker_.Finish(table, rows, bytes, status.ok(), now), status));
  MaybeWriteOverall(now);
}

void LogProgress::Message(const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  WriteLine(SanitizeLine(line));
}

void LogProgress::End() {
  std::lock_guard<std::mutex> lock(mu_);
  if (ended_) return;
  ended_ = true;
  WriteLine(FinalLine(tracker_.Overall(clock_.Now())));
}

void LogProgress::WriteLine(std::string_view text) {
  std::string line = FormatIso8601Utc(clock_.WallNow());
  line += ' ';
  line += text;
  line += '\n';
  out_ << line << std::flush;
}

void LogProgress::MaybeWriteOverall(TimePoint now) {
  if (ended_ || now - last_overall_ < overall_interval_) return;
  last_overall_ = now;
  WriteLine(OverallLine(tracker_.Overall(now)));
}

}  // namespace tenantshift
