#include "aws/credentials.h"

#include <cstdlib>
#include <cstring>
#include <utility>

extern char** environ;

namespace tenantshift {

AwsEnvironment AwsEnvironment::FromProcess() {
  AwsEnvironment env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (eq == nullptr) continue;
    std::string name(*e, eq - *e);
    if (name.rfind("AWS_", 0) == 0 || name == "HOME") env.vars[name] = eq + 1;
  }
  return env;
}

std::string AwsEnvironment::Get(const std::string& name) const {
  auto it = vars.find(name);
  return it == vars.end() ? "" : it->second;
}

CredentialsProvider::CredentialsProvider(AwsEnvironment env) : env_(std::move(env)) {}

Result<AwsCredentials> CredentialsProvider::Get() {
  std::lock_guard<std::mutex> lock(mu_);
  if (cached_) return cache_;
  AwsCredentials creds;
  creds.access_key_id = env_.Get("AWS_ACCESS_KEY_ID");
  creds.secret_access_key = env_.Get("AWS_SECRET_ACCESS_KEY");
  creds.session_token = env_.Get("AWS_SESSION_TOKEN");
  creds.source = "environment";
  if (creds.access_key_id.empty() || creds.secret_access_key.empty()) {
    return Status::Permission(
        "no AWS credentials found (tried: environment AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)");
  }
  cache_ = creds;
  cached_ = true;
  return creds;
}

std::string CredentialsProvider::Region() const {
  std::string region = env_.Get("AWS_REGION");
  return region.empty() ? env_.Get("AWS_DEFAULT_REGION") : region;
}

}  // namespace tenantshift
