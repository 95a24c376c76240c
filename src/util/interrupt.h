// Interrupt: a request to stop (Ctrl-C, SIGTERM) that long operations can observe and react to.
//
// The CLI's signal thread calls Request(); the executor stops taking new steps when it sees
// requested(), and callbacks registered with OnRequest cancel the statements in flight so their
// transactions roll back. Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>

namespace tenantshift {

class Interrupt {
 public:
  // Marks the interrupt and runs every registered callback once. Later calls do nothing.
  void Request();
  bool requested() const { return requested_.load(); }
  const std::atomic<bool>* flag() const { return &requested_; }

  // Registers `fn` to run on Request (at once, if already requested); returns a handle for
  // Remove. REQUIRES: `fn` does not call back into this Interrupt.
  int OnRequest(std::function<void()> fn);
  void Remove(int handle);

 private:
  std::atomic<bool> requested_{false};
  std::mutex mu_;
  int next_handle_ = 0;                             // guarded by mu_
  std::map<int, std::function<void()>> callbacks_;  // guarded by mu_
};

}  // namespace tenantshift
