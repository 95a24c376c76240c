#include "exec/executor.h"

#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

namespace tenantshift {
namespace {

class Pool {
 public:
  Pool(Plan& plan, StepRunner& runner, const ExecOptions& options)
      : plan_(plan), runner_(runner), options_(options), results_(plan.steps().size()) {}

  std::vector<StepResult> Run() {
    std::vector<std::thread> threads;
    int jobs = std::max(1, options_.jobs);
    for (int w = 0; w < jobs; ++w) threads.emplace_back([this, w] { WorkerLoop(w); });
    for (auto& t : threads) t.join();
    return std::move(results_);
  }

 private:
  // Returns the next step to run, or -1 when the plan is finished, or when a stop was requested
  // and no step is running any more.
  int Take() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      bool stopping = options_.stop != nullptr && options_.stop->load();
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
      }
      StepResult result = RunWithRetries(plan_.step(id), worker, [&] { return unit(rng); });
      std::lock_guard<std::mutex> lock(mu_);
      --running_;
      plan_.StepFinished(id, result.status.ok());
      results_[id] = std::move(result);
      cv_.notify_all();
    }
  }

  StepResult RunWithRetries(const Step& step, int worker, const std::function<double()>& rnd) {
    auto start = std::chrono::steady_clock::now();
    StepResult result;
    for (int attempt = 1;; ++attempt) {
      result = runner_.Run(step, worker);
      result.attempts = attempt;
      if (result.status.ok() || !result.status.retryable()) break;
      runner_.ResetWorker(worker);
      if (attempt >= options_.max_attempts) break;
      if (options_.stop != nullptr && options_.stop->load()) break;
      auto delay = BackoffDelay(options_, attempt, rnd());
      if (options_.sleep)
        options_.sleep(delay);
      else
        std::this_thread::sleep_for(delay);
    }
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
  }

  Plan& plan_;
  StepRunner& runner_;
  const ExecOptions& options_;
  std::mutex mu_;
  std::condition_variable cv_;
  int running_ = 0;                  // guarded by mu_
  std::vector<StepResult> results_;  // guarded by mu_
};

}  // namespace

std::chrono::milliseconds BackoffDelay(const ExecOptions& options, int attempt, double random01) {
  int64_t d = options.base_backoff.count();
  for (int i = 1; i < attempt && d < options.max_backoff.count(); ++i) d *= 2;
  d = std::min<int64_t>(d, options.max_backoff.count());
  return std::chrono::milliseconds(d / 2 + static_cast<int64_t>(random01 * (d - d / 2)));
}

std::vector<StepResult> ExecutePlan(Plan& plan, StepRunner& runner, const ExecOptions& options) {
  return Pool(plan, runner, options).Run();
}

}  // namespace tenantshift
