// ManualStep: something a plan cannot do and a person must, e.g. create a Python UDF that the
// target refuses to create. Plans list them next to their warnings; `plan` prints them and the
// migration report carries them (with their SQL) so nothing is dropped silently. Value type.
#pragma once

#include <string>
#include <vector>

namespace tenantshift {

struct ManualStep {
  std::string what;  // "create function acme.f(integer)": names the object, for people
  std::string why;   // one sentence: why the tool does not do it
  std::string sql;   // the source's definition as SQL, for the person doing it; may be empty
  // Leaving it undone weakens access control on the target (RLS or masking policies): migrate
  // refuses to start unless the user opts in (--without-security-policies).
  bool security = false;

  bool operator==(const ManualStep&) const = default;
};

// `text` with every line break (\n, \r) replaced by a space: safe inside a "--" comment line,
// however hostile the names in it.
std::string CommentText(const std::string& text);

// `plan` output: per step a "-- manual step: what: why" line (CommentText), then its SQL with each
// line prefixed by "--   " (so the plan's SQL stays runnable); empty when there are none.
std::string ManualStepsText(const std::vector<ManualStep>& steps);

}  // namespace tenantshift
