// AWS credentials and region, found the way the AWS CLI finds them: environment variables,
// the shared credentials and config files with profiles (AWS_PROFILE) including
// credential_process, container credentials (ECS/EKS), then EC2 instance metadata (IMDSv2).
//
// Credentials are secrets: they never reach logs, reports or error messages.
// Thread-safety: CredentialsProvider::Get is thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "util/status.h"

namespace tenantshift {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  // When temporary credentials stop working; time_point::max() for long-term keys.
  std::chrono::system_clock::time_point expiration = std::chrono::system_clock::time_point::max();
  std::string source;  // "environment", "profile default", "credential_process", ...: for people
};

// The environment the chain reads, as values (tests pass their own; Default() reads the
// process environment and $HOME).
struct AwsEnvironment {
  std::map<std::string, std::string> vars;  // AWS_* and HOME
  static AwsEnvironment FromProcess();
  std::string Get(const std::string& name) const;
};

class CredentialsProvider {
 public:
  explicit CredentialsProvider(AwsEnvironment env);
  // Current credentials, refreshed shortly before they expire. Errors name the sources tried.
  Result<AwsCredentials> Get();
  // AWS_REGION, AWS_DEFAULT_REGION, then `region` of the profile in the config file; empty when
  // none is set.
  std::string Region() const;

 private:
  AwsEnvironment env_;
  std::mutex mu_;
  bool cached_ = false;
  AwsCredentials cache_;
};

}  // namespace tenantshift
