#include "plan/topo_sort.h"

#include <algorithm>
#include <functional>
#include <queue>

namespace tenantshift {
namespace {

// A cycle among the nodes that are not in `order`: each of them needs another one of them (or
// it would have been ordered), so following such needs from any of them must come back.
std::vector<int> FindCycle(const std::vector<std::vector<int>>& deps,
                           const std::vector<bool>& ordered) {
  auto start = std::find(ordered.begin(), ordered.end(), false);
  if (start == ordered.end()) return {};
  std::vector<int> path;
  std::vector<int> position(deps.size(), -1);  // index in path, -1 when not on it
  int node = static_cast<int>(start - ordered.begin());
  while (position[node] < 0) {
    position[node] = static_cast<int>(path.size());
    path.push_back(node);
    auto next =
        std::find_if(deps[node].begin(), deps[node].end(), [&](int d) { return !ordered[d]; });
    node = *next;  // exists: see above
  }
  return std::vector<int>(path.begin() + position[node], path.end());
}

}  // namespace

TopoOrder TopoSort(const std::vector<std::vector<int>>& deps) {
  const size_t n = deps.size();
  std::vector<size_t> missing(n, 0);
  std::vector<std::vector<int>> dependents(n);
  for (size_t i = 0; i < n; ++i) {
    for (int d : deps[i]) {
      ++missing[i];
      dependents[d].push_back(static_cast<int>(i));
    }
  }
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;  // lowest index first
  for (size_t i = 0; i < n; ++i) {
    if (missing[i] == 0) ready.push(static_cast<int>(i));
  }
  TopoOrder out;
  std::vector<bool> ordered(n, false);
  while (!ready.empty()) {
    int id = ready.top();
    ready.pop();
    out.order.push_back(id);
    ordered[id] = true;
    for (int d : dependents[id]) {
      if (--missing[d] == 0) ready.push(d);
    }
  }
  if (out.order.size() < n) out.cycle = FindCycle(deps, ordered);
  return out;
}

}  // namespace tenantshift
