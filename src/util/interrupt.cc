#include "util/interrupt.h"

namespace tenantshift {

void Interrupt::Request() {
  std::lock_guard<std::mutex> lock(mu_);
  if (requested_.exchange(true)) return;
  for (auto& [handle, fn] : callbacks_) fn();
}

int Interrupt::OnRequest(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (requested_.load()) fn();
  callbacks_[next_handle_] = std::move(fn);
  return next_handle_++;
}

void Interrupt::Remove(int handle) {
  std::lock_guard<std::mutex> lock(mu_);
  callbacks_.erase(handle);
}

}  // namespace tenantshift
