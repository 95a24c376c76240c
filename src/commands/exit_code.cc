#include "commands/exit_code.h"

#include <ostream>

namespace tenantshift {

void PrintError(std::ostream& err, std::string_view text) {
  err << "tenantshift: error: " << text << "\n";
}

int FailWith(int code, const Status& status, std::ostream& err) {
  PrintError(err, status.ToString());
  return code;
}

}  // namespace tenantshift
