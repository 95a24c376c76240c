#include "plan/plan.h"

#include <algorithm>
#include <queue>

namespace tenantshift {
namespace {

bool Settled(StepState s) { return s == StepState::kSucceeded || s == StepState::kSkipped; }
bool IsOpen(StepState s) {
  return s == StepState::kWaiting || s == StepState::kReady || s == StepState::kRunning;
}

}  // namespace

int Plan::Add(Step step) {
  step.id = static_cast<int>(steps_.size());
  if (step.key.empty()) step.key = step.phase + ": " + step.description;
  std::string key = step.key;
  for (int n = 2; keys_.count(key); ++n) key = step.key + " #" + std::to_string(n);
  step.key = key;
  keys_.insert(key);
  for (int dep : step.deps) steps_[dep].dependents.push_back(step.id);
  // Callers build deps by appending, which leaves up to twice the room needed; a step that
  // waits for every role (one per table) would keep that slack ten thousand times over.
  step.deps.shrink_to_fit();
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

void Plan::MakeReady(int id) {
  steps_[id].state = StepState::kReady;
  ready_.emplace(-steps_[id].priority, id);
}

void Plan::Prepare() {
  prepared_ = true;
  ready_.clear();
  open_ = 0;
  for (Step& s : steps_) {
    if (s.state == StepState::kWaiting && DepsSucceeded(s)) s.state = StepState::kReady;
    if (s.state == StepState::kReady) ready_.emplace(-s.priority, s.id);
    if (IsOpen(s.state)) ++open_;
  }
}

std::vector<int> Plan::FindWork(size_t max) {
  if (!prepared_) Prepare();
  std::vector<int> ready;
  while (ready.size() < max && !ready_.empty()) {
    int id = ready_.begin()->second;
    ready_.erase(ready_.begin());
    steps_[id].state = StepState::kRunning;
    ready.push_back(id);
  }
  return ready;
}

void Plan::Block(int id) {
  for (int d : steps_[id].dependents) {
    StepState& st = steps_[d].state;
    if (st == StepState::kWaiting || st == StepState::kReady) {
      if (st == StepState::kReady) ready_.erase({-steps_[d].priority, d});
      st = StepState::kBlocked;
      if (prepared_) --open_;
      Block(d);
    }
  }
}

void Plan::StepFinished(int id, bool succeeded) {
  Step& s = steps_[id];
  if (prepared_ && IsOpen(s.state)) --open_;
  s.state = succeeded ? StepState::kSucceeded : StepState::kFailed;
  if (!succeeded) {
    Block(id);
    return;
  }
  for (int d : s.dependents) {
    if (steps_[d].state == StepState::kWaiting && DepsSucceeded(steps_[d])) MakeReady(d);
  }
}

bool Plan::Finished() const {
  if (prepared_) return open_ == 0;
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
