// Questions tests ask of a built Plan: a step's id by its description, and whether one step
// (transitively) waits for another. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "plan/plan.h"

namespace tenantshift {

// The id of the step described as `description`; records a test failure and returns -1 when
// there is none.
inline int FindStep(const Plan& plan, const std::string& description) {
  for (const Step& s : plan.steps()) {
    if (s.description == description) return s.id;
  }
  ADD_FAILURE() << "no step " << description;
  return -1;
}

// True when `before` is a (transitive) dependency of `after`.
inline bool DependsOn(const Plan& plan, int after, int before) {
  for (int d : plan.step(after).deps) {
    if (d == before || DependsOn(plan, d, before)) return true;
  }
  return false;
}

}  // namespace tenantshift
