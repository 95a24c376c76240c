#include "report/terminal_progress.h"

#include <sys/ioctl.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace tenantshift {
namespace {

constexpr int kBarWidth = 12;
constexpr int kMinNameWidth = 24;  // statistics are dropped before names are cut below this
constexpr int kMaxNameWidth = 40;  // longer names are cut

std::string Percent(std::optional<double> fraction) {
  if (!fraction) return "  ?%";
  return StringPrintf("%3.0f%%", std::clamp(*fraction, 0.0, 1.0) * 100);
}

std::string Eta(std::optional<double> eta) { return eta ? HumanDuration(*eta) : "?"; }

// One statistic of a table line; fixed width so that lines align. When the line is too narrow,
// columns with the lowest `keep` are dropped first.
struct Column {
  int keep;
  std::string text;
};

std::vector<Column> StatColumns(const TableSnapshot& t) {
  return {{5, ProgressBar(t.Done(), kBarWidth)},
          {7, Percent(t.Done())},
          {2, PadLeft(HumanCount(static_cast<double>(t.rows)), 6) + " rows"},
          {4, PadLeft(HumanBytes(t.bytes), 10)},
          {1, PadLeft(FormatRate(t.RowsPerSecond(), "rows"), 14)},
          {3, PadLeft(FormatByteRate(t.BytesPerSecond()), 12)},
          {6, StrCat({"ETA ", PadLeft(Eta(t.Eta()), 5)})}};
}

int JoinedWidth(const std::vector<Column>& columns) {
  int width = 0;
  for (const Column& c : columns) width += DisplayWidth(c.text) + 2;
  return width - 2;
}

// Joins `columns` with two spaces, dropping the least important ones until the result fits in
// `budget` columns or only one is left.
std::string JoinFitting(std::vector<Column> columns, int budget) {
  while (columns.size() > 1 && JoinedWidth(columns) > budget) {
    columns.erase(
        std::min_element(columns.begin(), columns.end(),
                         [](const Column& a, const Column& b) { return a.keep < b.keep; }));
  }
  std::string out;
  for (const Column& c : columns) {
    if (!out.empty()) out += "  ";
    out += c.text;
  }
  return out;
}

}  // namespace

TerminalSize QueryTerminalSize(int fd, TerminalSize fallback) {
  struct winsize ws {};
  if (fd < 0 || ioctl(fd, TIOCGWINSZ, &ws) != 0) return fallback;
  if (ws.ws_col > 0) fallback.width = ws.ws_col;
  if (ws.ws_row > 0) fallback.height = ws.ws_row;
  return fallback;
}

std::string ProgressBar(std::optional<double> fraction, int width) {
  const int inner = std::max(0, width - 2);
  const int filled =
      fraction ? static_cast<int>(std::floor(std::clamp(*fraction, 0.0, 1.0) * inner)) : 0;
  std::string bar = "[";
  bar.append(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(inner - filled), fraction ? '-' : '.');
  bar += ']';
  return bar;
}

std::string HeaderLine(const OverallSnapshot& o, int width) {
  std::string line = StringPrintf("tables %lld/%lld", static_cast<long long>(o.tables_finished),
                                  static_cast<long long>(o.total_tables));
  if (o.tables_failed > 0) {
    line += StringPrintf(" (%lld failed)", static_cast<long long>(o.tables_failed));
  }
  line += StrCat({"  ", HumanBytes(o.bytes)});
  if (o.bytes_estimate > 0) {
    line += StrCat({" / ~", HumanBytes(o.bytes_estimate), " ", Percent(o.Done())});
  }
  line += StrCat({"  ", FormatByteRate(o.BytesPerSecond()), "  elapsed ", HumanDuration(o.seconds),
                  "  ETA ", Eta(o.Eta())});
  return FitWidth(line, width - 1);
}

std::string TableLine(const TableSnapshot& t, int name_width, int width) {
  name_width = std::clamp(name_width, 1, kMaxNameWidth);
  const int indent = 2;
  const std::string stats =
      JoinFitting(StatColumns(t), width - 1 - indent - 1 - std::min(name_width, kMinNameWidth));
  name_width = std::clamp(width - 1 - indent - 1 - DisplayWidth(stats), 1, name_width);
  const std::string name = FitWidth(SanitizeLine(t.table), name_width);
  return FitWidth(StrCat({std::string(indent, ' '), PadRight(name, name_width), " ", stats}),
                  width - 1);
}

std::vector<std::string> LiveLines(const OverallSnapshot& o,
                                   const std::vector<TableSnapshot>& tables, TerminalSize size) {
  const size_t max_lines = static_cast<size_t>(std::max(2, size.height - 2));
  std::vector<std::string> lines{HeaderLine(o, size.width)};
  const bool all_fit = tables.size() + 1 <= max_lines;
  const size_t shown = all_fit ? tables.size() : max_lines - 2;
  int name_width = 1;
  for (size_t i = 0; i < shown; ++i) {
    name_width = std::max(name_width, DisplayWidth(SanitizeLine(tables[i].table)));
  }
  for (size_t i = 0; i < shown; ++i) lines.push_back(TableLine(tables[i], name_width, size.width));
  if (!all_fit) {
    lines.push_back(
        FitWidth(StringPrintf("  ... and %zu more", tables.size() - shown), size.width - 1));
  }
  return lines;
}

TerminalProgress::TerminalProgress(std::ostream& out, const Clock& clock, TerminalOptions options)
    : out_(out), clock_(clock), options_(options) {}

TerminalProgress::~TerminalProgress() { TerminalProgress::End(); }

void TerminalProgress::Begin(int64_t total_tables, int64_t total_bytes_estimate) {
  std::lock_guard<std::mutex> lock(mu_);
  tracker_.Begin(total_tables, total_bytes_estimate, clock_.Now());
  live_ = true;
  if (options_.redraw_interval.count() > 0 && !thread_.joinable() && !ended_) {
    thread_ = std::thread(&TerminalProgress::RedrawLoop, this);
  }
}

void TerminalProgress::TableStarted(const std::string& table, int64_t est_rows, int64_t est_bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  tracker_.Start(table, est_rows, est_bytes, clock_.Now());
  live_ = true;
}

void TerminalProgress::TableProgress(const std::string& table, int64_t rows, int64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  tracker_.Update(table, rows, bytes);
}

void TerminalProgress::TableFinished(const std::string& table, int64_t rows, int64_t bytes,
                                     const Status& status) {
  std::string line;
  {
    std::lock_guard<std::mutex> lock(mu_);
    line = FinishedLine(tracker_.Finish(table, rows, bytes, status.ok(), clock_.Now()), status);
  }
  AddPermanent(std::move(line));
}

void TerminalProgress::Message(const std::string& line) { AddPermanent(SanitizeLine(line)); }

void TerminalProgress::End() {
  std::call_once(end_once_, [this] {
    StopThread();
    {
      std::lock_guard<std::mutex> lock(mu_);
      ended_ = true;
      pending_.push_back(FinalLine(tracker_.Overall(clock_.Now())));
    }
    Repaint();
  });
}

void TerminalProgress::Repaint() {
  std::lock_guard<std::mutex> paint(paint_mu_);
  const Frame frame = TakeFrame(Size());
  if (live_lines_ == 0 && frame.permanent.empty() && frame.live.empty()) return;
  std::string out;
  if (live_lines_ > 0) out += StringPrintf("\r\x1b[%dA", live_lines_);  // to the region's top
  out += "\x1b[J";                                                      // erase to screen end
  for (const std::string& line : frame.permanent) out += line + "\n";
  for (const std::string& line : frame.live) out += line + "\n";
  live_lines_ = static_cast<int>(frame.live.size());
  out_ << out << std::flush;
}

TerminalSize TerminalProgress::Size() const {
  TerminalSize size = QueryTerminalSize(options_.fd, TerminalSize{});
  if (options_.width > 0) size.width = options_.width;
  if (options_.height > 0) size.height = options_.height;
  return size;
}

TerminalProgress::Frame TerminalProgress::TakeFrame(TerminalSize size) {
  std::lock_guard<std::mutex> lock(mu_);
  Frame frame;
  frame.permanent.swap(pending_);
  if (!live_ || ended_) return frame;
  const TimePoint now = clock_.Now();
  frame.live = LiveLines(tracker_.Overall(now), tracker_.InFlight(now), size);
  return frame;
}

void TerminalProgress::AddPermanent(std::string line) {
  bool ended = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.push_back(std::move(line));
    ended = ended_;
  }
  if (ended) {
    Repaint();
  } else {
    wake_.notify_one();
  }
}

void TerminalProgress::RedrawLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, options_.redraw_interval, [this] { return stop_ || !pending_.empty(); });
    if (stop_) break;
    lock.unlock();
    Repaint();
    lock.lock();
  }
}

void TerminalProgress::StopThread() {
  std::thread thread;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    thread = std::move(thread_);
  }
  wake_.notify_all();
  if (thread.joinable()) thread.join();
}

}  // namespace tenantshift
