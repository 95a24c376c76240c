#include "plan/plan.h"

#include <algorithm>
#include <queue>

namespace tenantshift {
namespace {

bool Settled(StepState s) { return s == StepState::kSucceeded || s == StepState::kSkipped; }

}  // namespace

int Plan::Add(Step step) {
  step.id = static_cast<int>(steps_.size());
  if (step.key.empty()) step.key = step.phase + ": " + step.description;
  std::string key = step.key;
  for (int n = 2; keys_.count(key); ++n) key = step.key + " #" + std::to_string(n);
  step.key = key;
  keys_.insert(key);
  for (int dep : step.deps) steps_[dep].dependents.push_back(step.id);
  steps_.push_back(std::move(step));
  return steps_.back().id;
}

void Plan::Skip(int id, std::string reason) {
  steps_[id].state = StepState::kSkipped;
  steps_[id].skip_reason = std::move(reason);
}

bool Plan::DepsSucceeded(const Step& s) const {
  return std::all_of(s.deps.begin(), s.deps.end(), [&](int d) { return Settled(steps_[d].state); });
}

void Plan::Prepare() {
  prepared_ = true;
  for (Step& s : steps_) {
    if (s.state == StepState::kWaiting && DepsSucceeded(s)) s.state = StepState::kReady;
  }
}

std::vector<int> Plan::FindWork(size_t max) {
  if (!prepared_) Prepare();
  std::vector<int> ready;
  for (const Step& s : steps_) {
    if (s.state == StepState::kReady) ready.push_back(s.id);
  }
  std::stable_sort(ready.begin(), ready.end(),
                   [&](int a, int b) { return steps_[a].priority > steps_[b].priority; });
  if (ready.size() > max) ready.resize(max);
  for (int id : ready) steps_[id].state = StepState::kRunning;
  return ready;
}

void Plan::Block(int id) {
  for (int d : steps_[id].dependents) {
    StepState& st = steps_[d].state;
    if (st == StepState::kWaiting || st == StepState::kReady) {
      st = StepState::kBlocked;
      Block(d);
    }
  }
}

void Plan::StepFinished(int id, bool succeeded) {
  Step& s = steps_[id];
  s.state = succeeded ? StepState::kSucceeded : StepState::kFailed;
  if (!succeeded) {
    Block(id);
    return;
  }
  for (int d : s.dependents) {
    if (steps_[d].state == StepState::kWaiting && DepsSucceeded(steps_[d])) {
      steps_[d].state = StepState::kReady;
    }
  }
}

bool Plan::Finished() const {
  return std::none_of(steps_.begin(), steps_.end(), [](const Step& s) {
    return s.state == StepState::kWaiting || s.state == StepState::kReady ||
           s.state == StepState::kRunning;
  });
}

std::vector<int> Plan::TopologicalOrder() const {
  std::vector<size_t> missing(steps_.size());
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;  // lowest id first
  for (const Step& s : steps_) {
    missing[s.id] = s.deps.size();
    if (s.deps.empty()) ready.push(s.id);
  }
  std::vector<int> order;
  while (!ready.empty()) {
    int id = ready.top();
    ready.pop();
    order.push_back(id);
    for (int d : steps_[id].dependents) {
      if (--missing[d] == 0) ready.push(d);
    }
  }
  return order;
}

size_t Plan::CountIn(StepState state) const {
  return std::count_if(steps_.begin(), steps_.end(),
                       [&](const Step& s) { return s.state == state; });
}

}  // namespace tenantshift
