#include "exec/executor.h"

#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

namespace tenantshift {
namespace {

double UnixSeconds(WallTime t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

class Pool {
 public:
  Pool(Plan& plan, StepRunner& runner, const ExecOptions& options)
      : plan_(plan), runner_(runner), options_(options), results_(plan.steps().size()) {}

  ExecOutcome Run() {
    std::vector<std::thread> threads;
    int jobs = std::max(1, options_.jobs);
    for (int w = 0; w < jobs; ++w) threads.emplace_back([this, w] { WorkerLoop(w); });
    for (auto& t : threads) t.join();
    return {std::move(results_), budget_exceeded_, failed_tables_};
  }

 private:
  // Returns the next step to run, or -1 when the plan is finished, or when a stop was requested
  // and no step is running any more.
  int Take() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      bool stopping = budget_exceeded_ || (options_.stop != nullptr && options_.stop->load());
      if (!stopping) {
        std::vector<int> work = plan_.FindWork(1);
        if (!work.empty()) return work[0];
      }
      if (plan_.Finished() || (stopping && running_ == 0)) {
        cv_.notify_all();
        return -1;
      }
      cv_.wait(lock);  // a running step will finish and notify
    }
  }

  void WorkerLoop(int worker) {
    std::mt19937_64 rng(std::random_device{}() + worker);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int id = Take(); id >= 0; id = Take()) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++running_;
        if (options_.on_started) options_.on_started(plan_.step(id));
      }
      StepResult result = RunWithRetries(plan_.step(id), worker, [&] { return unit(rng); });
      std::unique_lock<std::mutex> lock(mu_);
      finished_.emplace_back(id, std::move(result));
      RecordFinished(lock);
    }
  }

  // Group commit: unless another worker is recording already (it will take these too), hands
  // every finished step to on_finished_group in one call, then records them in the plan.
  // REQUIRES: `lock` holds mu_.
  void RecordFinished(std::unique_lock<std::mutex>& lock) {
    while (!recording_ && !finished_.empty()) {
      recording_ = true;
      std::vector<std::pair<int, StepResult>> group = std::move(finished_);
      finished_.clear();
      if (options_.on_finished_group) {
        std::vector<FinishedStep> view;
        for (const auto& [id, r] : group) {
          view.push_back(
              {&plan_.step(id), &r, r.status.ok() ? StepState::kSucceeded : StepState::kFailed});
        }
        lock.unlock();
        options_.on_finished_group(view);
        lock.lock();
      }
      recording_ = false;
      for (auto& [id, r] : group) {
        --running_;
        Record(id, std::move(r));
      }
      cv_.notify_all();
    }
  }

  // REQUIRES: mu_ held.
  void Record(int id, StepResult result) {
    bool ok = result.status.ok();
    plan_.StepFinished(id, ok);
    const Step& step = plan_.step(id);
    if (!ok && step.kind == StepKind::kCopyData) {
      ++failed_tables_;
      if (options_.max_failed_tables >= 0 && failed_tables_ > options_.max_failed_tables) {
        budget_exceeded_ = true;
      }
    }
    if (options_.on_finished) {
      options_.on_finished(step, result, ok ? StepState::kSucceeded : StepState::kFailed);
    }
    results_[id] = std::move(result);
  }

  StepResult RunWithRetries(const Step& step, int worker, const std::function<double()>& rnd) {
    const Clock& clock = options_.clock ? *options_.clock : SystemClock();
    TimePoint start = clock.Now();
    const double started_at = UnixSeconds(clock.WallNow());
    std::vector<double> retried_at;
    StepResult result;
    for (int attempt = 1;; ++attempt) {
      result = runner_.Run(step, worker);
      result.attempts = attempt;
      if (result.status.ok() || !result.status.retryable()) break;
      runner_.ResetWorker(worker);
      if (attempt >= options_.max_attempts) break;
      if (options_.stop != nullptr && options_.stop->load()) break;
      retried_at.push_back(UnixSeconds(clock.WallNow()));
      clock.Sleep(BackoffDelay(options_.backoff, attempt, rnd()));
    }
    result.seconds = std::chrono::duration<double>(clock.Now() - start).count();
    result.worker = worker;
    result.started_at = started_at;
    result.finished_at = UnixSeconds(clock.WallNow());
    result.retried_at = std::move(retried_at);
    return result;
  }

  Plan& plan_;
  StepRunner& runner_;
  const ExecOptions& options_;
  std::mutex mu_;
  std::condition_variable cv_;
  int running_ = 0;         // guarded by mu_; until recorded, not until run
  bool recording_ = false;  // guarded by mu_: a worker is in on_finished_group
  std::vector<std::pair<int, StepResult>> finished_;  // guarded by mu_: run, not recorded
  int failed_tables_ = 0;                             // guarded by mu_
  bool budget_exceeded_ = false;                      // guarded by mu_
  std::vector<StepResult> results_;                   // guarded by mu_
};

}  // namespace

ExecOutcome ExecutePlan(Plan& plan, StepRunner& runner, const ExecOptions& options) {
  return Pool(plan, runner, options).Run();
}

std::optional<int> FailureBudget(const std::string& spec, int tables) {
  if (spec.empty()) return std::nullopt;
  bool percent = spec.back() == '%';
  std::string digits = percent ? spec.substr(0, spec.size() - 1) : spec;
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
      digits.size() > 9) {
    return std::nullopt;
  }
  int n = std::stoi(digits);
  if (!percent) return n;
  if (n > 100) return std::nullopt;
  return static_cast<int>(static_cast<int64_t>(tables) * n / 100);
}

}  // namespace tenantshift
