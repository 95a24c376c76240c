#include "report/progress.h"

#include <algorithm>
#include <iostream>

#include "report/log_progress.h"
#include "report/terminal_progress.h"

namespace tenantshift {
namespace {

int FdOf(const std::ostream& out) {
  if (&out == &std::cout) return 1;
  if (&out == &std::cerr || &out == &std::clog) return 2;
  return -1;
}

std::string Estimate(int64_t est_rows, int64_t est_bytes) {
  const std::string rows = StrCat({"~", HumanCount(static_cast<double>(est_rows)), " rows"});
  const std::string bytes = StrCat({"~", HumanBytes(est_bytes)});
  if (est_rows > 0 && est_bytes > 0) return StrCat({rows, ", ", bytes});
  if (est_rows > 0) return rows;
  return est_bytes > 0 ? bytes : "size unknown";
}

std::string TablesPart(const OverallSnapshot& o) {
  std::string out = StringPrintf("%lld/%lld tables", static_cast<long long>(o.tables_finished),
                                 static_cast<long long>(o.total_tables));
  if (o.tables_failed > 0) {
    out += StringPrintf(" (%lld failed)", static_cast<long long>(o.tables_failed));
  }
  return out;
}

std::string BytesPart(const OverallSnapshot& o) {
  if (o.bytes_estimate <= 0) return HumanBytes(o.bytes);
  const double percent = std::min(1.0, o.Done().value_or(0)) * 100;
  return StrCat({HumanBytes(o.bytes), " of ~", HumanBytes(o.bytes_estimate),
                 StringPrintf(" (%.0f%%)", percent)});
}

}  // namespace

std::unique_ptr<Progress> MakeProgress(bool is_tty, std::ostream& out) {
  if (!is_tty) return std::make_unique<LogProgress>(out);
  TerminalOptions options;
  options.fd = FdOf(out);
  return std::make_unique<TerminalProgress>(out, SystemClock(), options);
}

double RatePerSecond(int64_t amount, double seconds) {
  return seconds > 0 ? static_cast<double>(amount) / seconds : 0;
}

std::optional<double> Fraction(int64_t done, int64_t total) {
  if (total <= 0) return std::nullopt;
  return static_cast<double>(std::max<int64_t>(done, 0)) / static_cast<double>(total);
}

std::optional<double> EtaSeconds(double elapsed_seconds, std::optional<double> fraction) {
  if (!fraction || *fraction <= 0 || *fraction > 1) return std::nullopt;
  return elapsed_seconds * (1 - *fraction) / *fraction;
}

double SecondsBetween(TimePoint from, TimePoint to) {
  return std::max(0.0, std::chrono::duration<double>(to - from).count());
}

std::optional<double> TableSnapshot::Done() const {
  return est_bytes > 0 ? Fraction(bytes, est_bytes) : Fraction(rows, est_rows);
}

void ProgressTracker::Begin(int64_t total_tables, int64_t total_bytes_estimate, TimePoint now) {
  begun_ = true;
  begin_ = now;
  total_tables_ = total_tables;
  bytes_estimate_ = total_bytes_estimate;
}

void ProgressTracker::EnsureBegun(TimePoint now) {
  if (begun_) return;
  begun_ = true;
  begin_ = now;
}

void ProgressTracker::Start(const std::string& table, int64_t est_rows, int64_t est_bytes,
                            TimePoint now) {
  EnsureBegun(now);
  Entry& e = in_flight_[table];
  in_flight_rows_ -= e.rows;
  in_flight_bytes_ -= e.bytes;
  e = Entry{est_rows, est_bytes, 0, 0, now, next_sequence_++};
}

bool ProgressTracker::Update(const std::string& table, int64_t rows, int64_t bytes) {
  auto it = in_flight_.find(table);
  if (it == in_flight_.end()) return false;
  Entry& e = it->second;
  in_flight_rows_ += rows - e.rows;
  in_flight_bytes_ += bytes - e.bytes;
  e.rows = rows;
  e.bytes = bytes;
  return true;
}

TableSnapshot ProgressTracker::Finish(const std::string& table, int64_t rows, int64_t bytes,
                                      bool ok, TimePoint now) {
  EnsureBegun(now);
  Entry e{0, 0, 0, 0, now, 0};
  if (auto it = in_flight_.find(table); it != in_flight_.end()) {
    e = it->second;
    in_flight_.erase(it);
  }
  in_flight_rows_ -= e.rows;
  in_flight_bytes_ -= e.bytes;
  e.rows = rows;
  e.bytes = bytes;
  ++finished_;
  if (!ok) ++failed_;
  finished_rows_ += rows;
  finished_bytes_ += bytes;
  return Snapshot(table, e, now);
}

OverallSnapshot ProgressTracker::Overall(TimePoint now) const {
  OverallSnapshot o;
  o.total_tables = total_tables_;
  o.tables_finished = finished_;
  o.tables_failed = failed_;
  o.tables_in_flight = static_cast<int64_t>(in_flight_.size());
  o.rows = finished_rows_ + in_flight_rows_;
  o.bytes = finished_bytes_ + in_flight_bytes_;
  o.bytes_estimate = bytes_estimate_;
  o.seconds = begun_ ? SecondsBetween(begin_, now) : 0;
  return o;
}

std::vector<TableSnapshot> ProgressTracker::InFlight(TimePoint now) const {
  std::vector<std::pair<uint64_t, TableSnapshot>> ordered;
  ordered.reserve(in_flight_.size());
  for (const auto& [table, e] : in_flight_)
    ordered.emplace_back(e.sequence, Snapshot(table, e, now));
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<TableSnapshot> out;
  out.reserve(ordered.size());
  for (auto& entry : ordered) out.push_back(std::move(entry.second));
  return out;
}

TableSnapshot ProgressTracker::Snapshot(const std::string& table, const Entry& e,
                                        TimePoint now) const {
  return TableSnapshot{table,  e.est_rows, e.est_bytes,
                       e.rows, e.bytes,    SecondsBetween(e.started, now)};
}

std::string StartedLine(const std::string& table, int64_t est_rows, int64_t est_bytes) {
  return StrCat({"started ", SanitizeLine(table), " (", Estimate(est_rows, est_bytes), ")"});
}

std::string FinishedLine(const TableSnapshot& t, const Status& status) {
  const std::string name = SanitizeLine(t.table);
  const std::string rows = WithThousands(t.rows);
  if (!status.ok()) {
    return StrCat({"FAILED ", name, " after ", HumanDuration(t.seconds), " (", rows, " rows, ",
                   HumanBytes(t.bytes), "): ", SanitizeLine(status.ToString())});
  }
  return StrCat({"done ", name, ": ", rows, " rows, ", HumanBytes(t.bytes), " in ",
                 HumanDuration(t.seconds), " (", FormatRate(t.RowsPerSecond(), "rows"), ", ",
                 FormatByteRate(t.BytesPerSecond()), ")"});
}

std::string OverallLine(const OverallSnapshot& o) {
  const std::optional<double> eta = o.Eta();
  return StrCat({"progress: ", TablesPart(o),
                 StringPrintf(", %lld in flight, ", static_cast<long long>(o.tables_in_flight)),
                 BytesPart(o), ", ", FormatByteRate(o.BytesPerSecond()), ", ETA ",
                 eta ? HumanDuration(*eta) : "?"});
}

std::string FinalLine(const OverallSnapshot& o) {
  return StrCat({"finished: ", TablesPart(o), ", ", HumanBytes(o.bytes), ", ",
                 WithThousands(o.rows), " rows in ", HumanDuration(o.seconds), " (",
                 FormatByteRate(o.BytesPerSecond()), ")"});
}

}  // namespace tenantshift
