// TerminalProgress: a live progress display for a TTY, redrawn in place with ANSI escapes.
//
// The screen shows, at the bottom, a live region: a header (tables finished/total, bytes done of
// the estimate, throughput, elapsed, ETA) and one line per in-flight table (bar, percent, rows,
// bytes, rows/s, bytes/s, ETA). Finished tables and Message lines are printed above the region
// as permanent lines that scroll away normally. Live lines are cut to the terminal width so
// they never wrap (width from TIOCGWINSZ on each repaint, 100 columns when unknown).
//
// A redraw thread, started by Begin(), repaints every `redraw_interval` and soon after a
// permanent line is queued; End() (or the destructor) wakes it through a condition variable,
// joins it, and paints the final frame plus a summary line.
// Nothing else may write to the same terminal while the display is live, or lines get garbled.
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "report/progress.h"
#include "util/clock.h"

namespace tenantshift {

struct TerminalOptions {
  int fd = -1;     // terminal whose size is read (TIOCGWINSZ) on each repaint; -1: none
  int width = 0;   // columns; 0: from `fd`, else 100
  int height = 0;  // rows; 0: from `fd`, else 40. Caps the live region at height - 2 lines.
  // Period of the redraw thread. Zero: no thread; frames are drawn only by Repaint() and End().
  std::chrono::milliseconds redraw_interval{200};
};

struct TerminalSize {
  int width = 100;
  int height = 40;
};

// Size of the terminal behind `fd`, with `fallback` for any dimension it cannot tell.
TerminalSize QueryTerminalSize(int fd, TerminalSize fallback);

// Rendering, pure so tests can check it. No line contains a control character.
// "[#####-----]" with `width` columns in total; "[..........]" when `fraction` is unknown.
std::string ProgressBar(std::optional<double> fraction, int width);
std::string HeaderLine(const OverallSnapshot& o, int width);
// The name is padded or cut to `name_width` (at most 40) columns; when the line would not fit in
// `width - 1` columns, the least important statistics (rows/s first, then rows, bytes/s, bytes,
// bar) are dropped, and then the name is cut further.
std::string TableLine(const TableSnapshot& t, int name_width, int width);
// Header plus one line per table, names padded to the longest shown. At most
// max(2, size.height - 2) lines; when tables do not fit, the last says "... and N more".
// Each line is at most size.width - 1 columns wide.
std::vector<std::string> LiveLines(const OverallSnapshot& o,
                                   const std::vector<TableSnapshot>& tables, TerminalSize size);

class TerminalProgress : public Progress {
 public:
  // REQUIRES: `out` and `clock` outlive this object.
  explicit TerminalProgress(std::ostream& out, const Clock& clock = SystemClock(),
                            TerminalOptions options = {});
  ~TerminalProgress() override;  // Calls End().

  TerminalProgress(const TerminalProgress&) = delete;
  TerminalProgress& operator=(const TerminalProgress&) = delete;

  void Begin(int64_t total_tables, int64_t total_bytes_estimate) override;
  void TableStarted(const std::string& table, int64_t est_rows, int64_t est_bytes) override;
  void TableProgress(const std::string& table, int64_t rows, int64_t bytes) override;
  void TableFinished(const std::string& table, int64_t rows, int64_t bytes,
                     const Status& status) override;
  void Message(const std::string& line) override;
  // Stops the redraw thread, erases the live region and prints the summary. Idempotent; later
  // Message/TableFinished lines are printed immediately.
  void End() override;

  // Draws one frame now. Used by the redraw thread; callable from any thread.
  void Repaint();

 private:
  struct Frame {
    std::vector<std::string> permanent;  // printed once, above the live region
    std::vector<std::string> live;       // redrawn every frame; empty after End()
  };
  TerminalSize Size() const;  // options_ overrides, else the terminal's, else the defaults
  Frame TakeFrame(TerminalSize size);
  void AddPermanent(std::string line);
  void RedrawLoop();
  void StopThread();

  std::ostream& out_;
  const Clock& clock_;
  const TerminalOptions options_;

  std::mutex mu_;
  std::condition_variable wake_;      // signalled on stop and on a new permanent line
  ProgressTracker tracker_;           // Guarded by mu_.
  std::vector<std::string> pending_;  // Guarded by mu_. Permanent lines not yet printed.
  bool stop_ = false;                 // Guarded by mu_. Tells the redraw thread to exit.
  bool live_ = false;   // Guarded by mu_. Begin() or a TableStarted() happened: show the region.
  bool ended_ = false;  // Guarded by mu_.
  std::thread thread_;  // Guarded by mu_. Started by Begin().
  std::once_flag end_once_;

  std::mutex paint_mu_;  // Serializes Repaint(); acquired before mu_.
  int live_lines_ = 0;   // Guarded by paint_mu_. Lines of the live region now on screen.
};

}  // namespace tenantshift
