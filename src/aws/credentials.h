// AWS credentials and region, found the way the AWS CLI finds them. The chain, first hit wins:
//   1. environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN;
//   2. the profile (AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default") in the shared
//      credentials file (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials);
//   3. the profile's credential_process (a command printing the JSON of the AWS CLI's
//      "sourcing credentials with an external process": Version 1, AccessKeyId,
//      SecretAccessKey, SessionToken, Expiration), run without a shell;
//   4. static keys of the profile in the config file (AWS_CONFIG_FILE, else ~/.aws/config,
//      sections "[profile NAME]" and "[default]");
//   5. container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (on 169.254.170.2) or
//      AWS_CONTAINER_CREDENTIALS_FULL_URI, with AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE);
//   6. EC2 instance metadata, IMDSv2 only (a session token first), unless
//      AWS_EC2_METADATA_DISABLED=true; AWS_EC2_METADATA_SERVICE_ENDPOINT moves it
//      (AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6 picks fd00:ec2::254).
// Not supported: assume-role profiles (role_arn), web identity, SSO, IMDSv1. A profile that
// relies on one of them is an error that says so and how to get around it (credential_process
// with `aws configure export-credentials`).
// A profile named by AWS_PROFILE that exists in neither file is an error; a source that is
// configured but fails (a malformed file, a failing credential_process) stops the chain with
// an error rather than silently falling through to the next one, as the AWS CLI does.
//
// Temporary credentials are cached and fetched again `refresh_before` their expiry.
// Credentials are secrets: they never reach logs, reports, process arguments or error
// messages; errors name the sources tried and why each did not apply, never a value.
// Thread-safety: CredentialsProvider::Get is thread-safe (one fetch at a time).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "util/clock.h"
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

// The environment the chain reads, as values (tests pass their own; FromProcess() reads the
// process environment's AWS_* variables and $HOME).
struct AwsEnvironment {
  std::map<std::string, std::string> vars;  // AWS_* and HOME
  static AwsEnvironment FromProcess();
  std::string Get(const std::string& name) const;  // empty when unset
};

struct CredentialsOptions {
  // Time limit for each container or instance-metadata request (connect and transfer), so a
  // machine without those endpoints fails fast.
  std::chrono::milliseconds metadata_timeout{1000};
  // Time limit for credential_process.
  std::chrono::seconds process_timeout{60};
  // Cached temporary credentials are fetched again when they expire within this margin.
  std::chrono::seconds refresh_before{300};
  // Where AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is resolved (tests point it elsewhere).
  std::string container_base_url = "http://169.254.170.2";
  // The wall time, for expiry decisions; tests pass a FakeClock. Default: SystemClock().
  const Clock* clock = nullptr;
};

class CredentialsProvider {
 public:
  explicit CredentialsProvider(AwsEnvironment env, CredentialsOptions options = {});
  // Current credentials, refreshed shortly before they expire. Errors (kPermission when no
  // source has credentials, kInvalidArgument for bad configuration) name the sources tried.
  // When a refresh fails while the cached credentials are still valid, those are returned.
  Result<AwsCredentials> Get();
  // AWS_REGION, AWS_DEFAULT_REGION, then `region` of the profile in the config file; empty when
  // none is set.
  std::string Region() const;
  // The profile the chain reads: AWS_PROFILE, AWS_DEFAULT_PROFILE, else "default".
  std::string Profile() const;

 private:
  Result<AwsCredentials> Fetch();

  const AwsEnvironment env_;
  const CredentialsOptions options_;
  std::mutex mu_;
  bool cached_ = false;   // guarded by mu_
  AwsCredentials cache_;  // guarded by mu_; meaningful when cached_
};

}  // namespace tenantshift
