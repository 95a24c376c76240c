// The AWS CLI's shared files, ~/.aws/credentials and ~/.aws/config: INI text with one section
// per profile.
//
// The credentials file names sections after the profile ("[default]", "[acme]"); the config file
// writes "[default]" and "[profile acme]" and has other section kinds ("[sso-session x]",
// "[services x]") that are not profiles and are skipped. Keys are lower-cased, "key = value"
// with spaces around '=' trimmed; whole-line comments start with '#' or ';'; indented lines
// continue the previous key (nested settings such as "s3 =") and are ignored here.
// Parsing is pure; loading reads one file. Errors give the file and line, never the line's
// text (it may hold a secret key). Thread-safety: plain functions over values.
#pragma once

#include <map>
#include <string>

#include "util/status.h"

namespace tenantshift {

using AwsProfile = std::map<std::string, std::string>;  // key -> value
using AwsProfiles = std::map<std::string, AwsProfile>;  // profile name -> settings

enum class AwsFileKind { kCredentials, kConfig };

// Profiles in `text`; `file` names the source in error messages. A section repeated later adds
// to (and overrides keys of) the earlier one.
Result<AwsProfiles> ParseAwsProfiles(const std::string& text, AwsFileKind kind,
                                     const std::string& file);

// Reads and parses `path`. A file that does not exist holds no profiles (not an error); one that
// exists but cannot be read is an error.
Result<AwsProfiles> LoadAwsProfiles(const std::string& path, AwsFileKind kind);

}  // namespace tenantshift
