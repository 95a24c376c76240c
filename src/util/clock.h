// Clock: where the progress reporters read the time, so rates and ETAs are testable.
//
// Now() is monotonic and drives every duration, rate and ETA; WallNow() is only used to stamp
// log lines. RealClock reads the system clocks; FakeClock only moves when a test advances it.
// Thread-safety: both implementations may be called from any number of threads.
#pragma once

#include <chrono>
#include <mutex>

namespace tenantshift {

using TimePoint = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  virtual WallTime WallNow() const = 0;
};

class RealClock : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::steady_clock::now(); }
  WallTime WallNow() const override { return std::chrono::system_clock::now(); }
};

// The process-wide RealClock; never destroyed before any user of it.
inline const Clock& SystemClock() {
  static const RealClock clock;
  return clock;
}

// Starts at an arbitrary steady time and at wall time `wall_start`; both move together, and only
// when Advance() is called.
class FakeClock : public Clock {
 public:
  explicit FakeClock(WallTime wall_start = WallTime(std::chrono::seconds(1700000000)))
      : wall_start_(wall_start) {}

  TimePoint Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return TimePoint(std::chrono::hours(1)) + elapsed_;
  }
  WallTime WallNow() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return wall_start_ + std::chrono::duration_cast<WallTime::duration>(elapsed_);
  }
  void Advance(std::chrono::steady_clock::duration d) {
    std::lock_guard<std::mutex> lock(mu_);
    elapsed_ += d;
  }

 private:
  mutable std::mutex mu_;
  const WallTime wall_start_;
  std::chrono::steady_clock::duration elapsed_{0};  // Guarded by mu_.
};

}  // namespace tenantshift
