#include "aws/aws_config_file.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "util/text.h"

namespace tenantshift {
namespace {

// The profile a section header names, or "" when the section is not a profile.
std::string ProfileOfSection(const std::string& header, AwsFileKind kind) {
  std::string name = TrimWhitespace(header);
  if (kind == AwsFileKind::kCredentials || name == "default") return name;
  if (name.rfind("profile", 0) == 0 && name.size() > 7 &&
      std::isspace(static_cast<unsigned char>(name[7]))) {
    return TrimWhitespace(name.substr(8));
  }
  return "";  // sso-session, services, or a config section without "profile "
}

}  // namespace

Result<AwsProfiles> ParseAwsProfiles(const std::string& text, AwsFileKind kind,
                                     const std::string& file) {
  AwsProfiles profiles;
  AwsProfile* current = nullptr;
  bool in_section = false;
  std::istringstream in(text);
  int line_no = 0;
  for (std::string raw; std::getline(in, raw);) {
    ++line_no;
    std::string line = TrimWhitespace(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    std::string where = file + ":" + std::to_string(line_no);
    if (line[0] == '[') {
      if (line.back() != ']')
        return Status::InvalidArgument(where + ": section header without ']'");
      std::string name = ProfileOfSection(line.substr(1, line.size() - 2), kind);
      current = name.empty() ? nullptr : &profiles[name];
      in_section = true;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(raw[0]))) continue;  // nested setting
    size_t eq = line.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument(where + ": expected `key = value` or `[section]`");
    }
    if (!in_section) return Status::InvalidArgument(where + ": setting before any [section]");
    if (current != nullptr)
      (*current)[AsciiLower(TrimWhitespace(line.substr(0, eq)))] =
          TrimWhitespace(line.substr(eq + 1));
  }
  return profiles;
}

Result<AwsProfiles> LoadAwsProfiles(const std::string& path, AwsFileKind kind) {
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return AwsProfiles{};
    return Status::InvalidArgument("cannot read " + path + ": " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseAwsProfiles(text.str(), kind, path);
}

}  // namespace tenantshift
