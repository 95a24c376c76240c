#include "plan/manual_step.h"

namespace tenantshift {

std::string CommentText(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

std::string ManualStepsText(const std::vector<ManualStep>& steps) {
  std::string out;
  for (const ManualStep& s : steps) {
    out += "-- manual step: " + CommentText(s.what) + ": " + CommentText(s.why) + "\n";
    std::string line;
    for (char c : s.sql) {
      if (c != '\n' && c != '\r') {
        line += c;
        continue;
      }
      out += "--   " + line + "\n";
      line.clear();
    }
    if (!line.empty()) out += "--   " + line + "\n";
  }
  return out;
}

}  // namespace tenantshift
