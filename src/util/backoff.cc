#include "util/backoff.h"

#include <algorithm>
#include <cstdint>

namespace tenantshift {

std::chrono::milliseconds BackoffDelay(const BackoffPolicy& policy, int attempt, double random01) {
  int64_t d = policy.base.count();
  for (int i = 1; i < attempt && d < policy.max.count(); ++i) d *= 2;
  d = std::min<int64_t>(d, policy.max.count());
  random01 = std::clamp(random01, 0.0, 1.0);
  return std::chrono::milliseconds(d / 2 + static_cast<int64_t>(random01 * (d - d / 2)));
}

}  // namespace tenantshift
