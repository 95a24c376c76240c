// Clock: the one time seam (leveldb's Env::NowMicros and SleepForMicroseconds): where the
// progress reporters, the executor's retries and every polling wait read the time and sleep,
// so rates, ETAs, backoff and time-outs are testable without waiting.
//
// Now() is monotonic and drives every duration, rate and ETA; WallNow() is only used to stamp
// log lines. Sleep() blocks the calling thread. RealClock reads the system clocks and really
// sleeps; FakeClock only moves when a test advances it, and its Sleep() advances it at once.
// Thread-safety: both implementations may be called from any number of threads.
#pragma once

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace tenantshift {

using TimePoint = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  virtual WallTime WallNow() const = 0;
  virtual void Sleep(std::chrono::milliseconds d) const = 0;
};

class RealClock : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::steady_clock::now(); }
  WallTime WallNow() const override { return std::chrono::system_clock::now(); }
  void Sleep(std::chrono::milliseconds d) const override { std::this_thread::sleep_for(d); }
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
  // Advances the clock by `d` and records the sleep, without waiting.
  void Sleep(std::chrono::milliseconds d) const override {
    std::lock_guard<std::mutex> lock(mu_);
    elapsed_ += d;
    sleeps_.push_back(d);
  }
  void Advance(std::chrono::steady_clock::duration d) {
    std::lock_guard<std::mutex> lock(mu_);
    elapsed_ += d;
  }
  // Every Sleep() so far, in order.
  std::vector<std::chrono::milliseconds> sleeps() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sleeps_;
  }

 private:
  mutable std::mutex mu_;
  const WallTime wall_start_;
  // Guarded by mu_; mutable because sleeping is not a change of the clock's identity.
  mutable std::chrono::steady_clock::duration elapsed_{0};
  mutable std::vector<std::chrono::milliseconds> sleeps_;
};

}  // namespace tenantshift
