// Backoff: the one retry-delay rule (STYLE rule 16: retry policy is data). Used by the executor
// between tries of a step, by the AWS client between tries of a request, and by the IAM role
// wait between polls.
// Thread-safety: pure function.
#pragma once

#include <chrono>

namespace tenantshift {

struct BackoffPolicy {
  std::chrono::milliseconds base{500};   // the first delay (before jitter)
  std::chrono::milliseconds max{10000};  // no delay is longer
};

// The delay before retry `attempt` (1-based): d = min(max, base * 2^(attempt-1)), then "equal
// jitter": d/2 + random01 * (d - d/2), so it lies in [d/2, d]. `random01` is in [0, 1]; 1
// gives d exactly (no jitter), for waits that must not shrink.
std::chrono::milliseconds BackoffDelay(const BackoffPolicy& policy, int attempt, double random01);

}  // namespace tenantshift
