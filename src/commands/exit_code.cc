#include "commands/exit_code.h"

#include <chrono>
#include <ostream>

#include "report/json_log.h"

namespace tenantshift {

namespace {

void PrintJsonError(std::ostream& err, std::string_view text, const std::string& sqlstate,
                    std::string_view event = "error") {
  LogEvent e;
  e.level = "error";
  e.event = std::string(event);
  e.error = std::string(text);
  e.sqlstate = sqlstate;
  err << JsonLogLine(e, std::chrono::system_clock::now()) << "\n";
}

}  // namespace

void PrintError(std::ostream& err, std::string_view text) {
  if (JsonLogFormat()) return PrintJsonError(err, text, "");
  err << "tenantshift: error: " << text << "\n";
}

void PrintProblem(std::ostream& err, std::string_view label, std::string_view text) {
  if (JsonLogFormat()) return PrintJsonError(err, text, "", label.empty() ? "error" : label);
  err << "tenantshift: " << label << (label.empty() ? "" : ": ") << text << "\n";
}

int FailWith(int code, const Status& status, std::ostream& err) {
  if (JsonLogFormat()) {
    PrintJsonError(err, status.ToString(), status.sqlstate());
  } else {
    PrintError(err, status.ToString());
  }
  return code;
}

}  // namespace tenantshift
