// TopoSort: orders the nodes of a dependency graph so that every node comes after the nodes it
// needs, and finds a cycle when there is one. Pure; thread-safety: a pure function.
#pragma once

#include <vector>

namespace tenantshift {

struct TopoOrder {
  // Every node that can be ordered, each after its dependencies. Among nodes that become ready
  // together the lowest index comes first, so the input order is kept wherever the graph
  // allows it. Nodes on a cycle, or needing one, are missing.
  std::vector<int> order;
  // When the graph has a cycle: the nodes of one cycle, each needing the next and the last
  // needing the first, starting with the lowest index the search reached. Empty otherwise.
  std::vector<int> cycle;
};

// `deps[i]` lists the nodes node i needs first (duplicates allowed; i itself is a cycle).
// REQUIRES: every index in deps[i] is in [0, deps.size()).
TopoOrder TopoSort(const std::vector<std::vector<int>>& deps);

}  // namespace tenantshift
