#include "aws/credentials.h"

#include <curl/curl.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <tuple>
#include <utility>
#include <vector>

#include "aws/aws_config_file.h"
#include "aws/credential_process.h"
#include "util/text.h"

extern char** environ;

namespace tenantshift {
namespace {

using SysTime = std::chrono::system_clock::time_point;
// What one source of the chain found: credentials, or nothing (the source does not apply).
// A source that applies but fails returns an error Status instead, which stops the chain.
using Found = std::optional<AwsCredentials>;

// "2026-11-24T20:15:00Z", "2026-11-24T20:15:00.123Z" or with a "+01:00" offset.
std::optional<SysTime> ParseIso8601(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::string rest = text.substr(consumed);
  size_t zone = rest.find_first_of("Zz+-");
  if (zone == std::string::npos) return std::nullopt;
  long offset = 0;
  if (rest[zone] == '+' || rest[zone] == '-') {
    int h = 0, m = 0;
    if (std::sscanf(rest.c_str() + zone + 1, "%2d:%2d", &h, &m) != 2) return std::nullopt;
    offset = (rest[zone] == '-' ? -1 : 1) * (h * 3600L + m * 60L);
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm) - offset);
}

std::string JsonText(const nlohmann::json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : "";
}

// Credentials from the JSON that container endpoints, instance metadata and credential_process
// return; `token_key` is "Token" or "SessionToken". Errors never quote the body.
Result<AwsCredentials> CredentialsFromJson(const std::string& body, const char* token_key,
                                           const std::string& source) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return Status::InvalidArgument(source + ": the answer is not JSON");
  AwsCredentials creds;
  creds.access_key_id = JsonText(doc, "AccessKeyId");
  creds.secret_access_key = JsonText(doc, "SecretAccessKey");
  creds.session_token = JsonText(doc, token_key);
  creds.source = source;
  if (creds.access_key_id.empty() || creds.secret_access_key.empty()) {
    return Status::InvalidArgument(source + ": the answer has no AccessKeyId or SecretAccessKey");
  }
  std::string expiration = JsonText(doc, "Expiration");
  if (!expiration.empty()) {
    std::optional<SysTime> when = ParseIso8601(expiration);
    if (!when) return Status::InvalidArgument(source + ": Expiration is not an ISO 8601 time");
    creds.expiration = *when;
  }
  return creds;
}

struct PlainResponse {
  long status = 0;
  std::string body;
};

size_t AppendBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

// An unsigned request to a link-local or loopback credentials endpoint (never through a
// proxy). kConnection when nothing answered within `timeout`.
Result<PlainResponse> PlainRequest(const std::string& method, const std::string& url,
                                   const std::vector<std::string>& headers,
                                   std::chrono::milliseconds timeout) {
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Status::Internal("curl_easy_init failed");
  curl_slist* list = nullptr;
  for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> owned(list, curl_slist_free_all);
  PlainResponse resp;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp.body);
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) return Status::Connection(curl_easy_strerror(rc));
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp.status);
  return resp;
}

// "http://host:port/path" -> "http://host:port": what error messages may show of a URL.
std::string Origin(const std::string& url) {
  size_t scheme = url.find("://");
  size_t slash = scheme == std::string::npos ? std::string::npos : url.find('/', scheme + 3);
  return url.substr(0, slash);
}

// AWS_CONTAINER_CREDENTIALS_FULL_URI may only send the token over HTTPS or to a local host.
bool AllowedFullUri(const std::string& url) {
  if (url.rfind("https://", 0) == 0) return true;
  if (url.rfind("http://", 0) != 0) return false;
  std::string host = Origin(url).substr(7);
  if (host.rfind('[', 0) == 0) {
    host = host.substr(0, host.find(']') + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  return host.rfind("127.", 0) == 0 || host == "localhost" || host == "[::1]" ||
         host == "169.254.170.2" || host == "169.254.170.23" || host == "[fd00:ec2::23]";
}

// AWS_PROFILE, AWS_DEFAULT_PROFILE, else "default".
std::string ProfileName(const AwsEnvironment& env) {
  std::string p = env.Get("AWS_PROFILE");
  if (p.empty()) p = env.Get("AWS_DEFAULT_PROFILE");
  return p.empty() ? "default" : p;
}

// Where a shared file is: its variable, else under $HOME/.aws; "" when neither is set.
std::string SharedFilePath(const AwsEnvironment& env, AwsFileKind kind) {
  bool creds = kind == AwsFileKind::kCredentials;
  std::string path = env.Get(creds ? "AWS_SHARED_CREDENTIALS_FILE" : "AWS_CONFIG_FILE");
  std::string home = env.Get("HOME");
  if (path.empty() && !home.empty()) path = home + (creds ? "/.aws/credentials" : "/.aws/config");
  if (path.rfind("~/", 0) == 0 && !home.empty()) path = home + path.substr(1);
  return path;
}

// The chain, run once per fetch. Sources append to `tried_` why they did not apply.
class Chain {
 public:
  Chain(const AwsEnvironment& env, const CredentialsOptions& options)
      : env_(env), options_(options) {}

  Result<AwsCredentials> Run() {
    using Source = Result<Found> (Chain::*)();
    static constexpr Source kSources[] = {&Chain::Environment, &Chain::CredentialsFile,
                                          &Chain::Process,     &Chain::ConfigFile,
                                          &Chain::Container,   &Chain::InstanceMetadata};
    for (Source source : kSources) {
      Result<Found> found = (this->*source)();
      if (!found.ok()) return found.status();
      if (found->has_value()) return **found;
    }
    std::string list;
    for (const std::string& t : tried_) list += (list.empty() ? "" : "; ") + t;
    return Status::Permission("no AWS credentials found; tried: " + list +
                              ". Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, choose a "
                              "profile with AWS_PROFILE, or run with an IAM role");
  }

 private:
  std::string Profile() const { return ProfileName(env_); }

  void Skip(const std::string& source, const std::string& why) {
    tried_.push_back(source + " (" + why + ")");
  }

  Result<Found> Environment() {
    std::string id = env_.Get("AWS_ACCESS_KEY_ID");
    std::string secret = env_.Get("AWS_SECRET_ACCESS_KEY");
    if (id.empty() && secret.empty()) {
      Skip("environment", "AWS_ACCESS_KEY_ID not set");
      return Found();
    }
    if (id.empty() || secret.empty()) {
      return Status::InvalidArgument(std::string("environment: ") +
                                     (id.empty() ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") +
                                     " is set but " +
                                     (id.empty() ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") +
                                     " is not; set both or neither");
    }
    AwsCredentials creds;
    creds.access_key_id = id;
    creds.secret_access_key = secret;
    creds.session_token = env_.Get("AWS_SESSION_TOKEN");
    creds.source = "environment";
    return Found(creds);
  }

  // Loads both shared files once and checks that an explicitly chosen profile exists.
  Status LoadFiles() {
    if (loaded_) return Status::Ok();
    loaded_ = true;
    for (auto [path, kind, profiles] :
         {std::tuple{&cred_path_, AwsFileKind::kCredentials, &cred_profiles_},
          std::tuple{&config_path_, AwsFileKind::kConfig, &config_profiles_}}) {
      *path = SharedFilePath(env_, kind);
      if (path->empty()) continue;
      Result<AwsProfiles> r = LoadAwsProfiles(*path, kind);
      if (!r.ok()) return r.status();
      *profiles = std::move(*r);
    }
    bool chosen = !env_.Get("AWS_PROFILE").empty() || !env_.Get("AWS_DEFAULT_PROFILE").empty();
    if (chosen && !cred_profiles_.count(Profile()) && !config_profiles_.count(Profile())) {
      return Status::InvalidArgument("AWS profile '" + Profile() + "' (from AWS_PROFILE) is in " +
                                     "neither " + Shown(cred_path_) + " nor " +
                                     Shown(config_path_) + "; check the name or create it");
    }
    return Status::Ok();
  }

  static std::string Shown(const std::string& path) { return path.empty() ? "(no HOME)" : path; }

  // Static keys of the profile in one of the shared files.
  Result<Found> StaticKeys(const AwsProfiles& profiles, const std::string& path,
                           const std::string& source) {
    auto it = profiles.find(Profile());
    if (it == profiles.end()) {
      Skip(source + " " + Shown(path), "no profile " + Profile());
      return Found();
    }
    const AwsProfile& p = it->second;
    auto value = [&](const char* key) {
      auto v = p.find(key);
      return v == p.end() ? std::string() : v->second;
    };
    AwsCredentials creds;
    creds.access_key_id = value("aws_access_key_id");
    creds.secret_access_key = value("aws_secret_access_key");
    creds.session_token = value("aws_session_token");
    if (creds.session_token.empty()) creds.session_token = value("aws_security_token");  // legacy
    creds.source = "profile " + Profile() + " in " + path;
    if (creds.access_key_id.empty() && creds.secret_access_key.empty()) {
      Skip(source + " " + path, "profile " + Profile() + " has no keys");
      return Found();
    }
    if (creds.access_key_id.empty() || creds.secret_access_key.empty()) {
      return Status::InvalidArgument(path + ": profile " + Profile() +
                                     " needs both aws_access_key_id and aws_secret_access_key");
    }
    return Found(creds);
  }

  Result<Found> CredentialsFile() {
    Status s = LoadFiles();
    if (!s.ok()) return s;
    return StaticKeys(cred_profiles_, cred_path_, "shared credentials file");
  }

  Result<Found> ConfigFile() {
    Result<Found> found = StaticKeys(config_profiles_, config_path_, "config file");
    if (!found.ok() || found->has_value()) return found;
    // The AWS CLI would use these; saying so beats "no credentials found".
    for (const char* key :
         {"role_arn", "sso_session", "sso_start_url", "web_identity_token_file"}) {
      if (!ProfileSetting(key).empty()) {
        return Status::InvalidArgument(
            "profile " + Profile() + " uses " + key +
            ", which tenantshift does not support; set credential_process = aws configure "
            "export-credentials --profile " +
            Profile() +
            " --format process in another profile, "
            "or export AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN");
      }
    }
    return found;
  }

  std::string ProfileSetting(const std::string& key) const {
    for (const AwsProfiles* profiles : {&cred_profiles_, &config_profiles_}) {
      auto p = profiles->find(Profile());
      if (p == profiles->end()) continue;
      auto v = p->second.find(key);
      if (v != p->second.end()) return v->second;
    }
    return "";
  }

  Result<Found> Process() {
    std::string command = ProfileSetting("credential_process");
    std::string what = "credential_process of profile " + Profile();
    if (command.empty()) {
      Skip("credential_process", "not set in profile " + Profile());
      return Found();
    }
    Result<std::vector<std::string>> argv = SplitCommandLine(command);
    if (!argv.ok()) return argv.status().WithContext(what);
    Result<std::string> out = RunProcess(*argv, options_.process_timeout, what);
    if (!out.ok()) return out.status();
    nlohmann::json doc = nlohmann::json::parse(*out, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object() || !doc.contains("Version") || doc["Version"] != 1) {
      return Status::InvalidArgument(what +
                                     ": the output must be a JSON object with \"Version\": 1");
    }
    Result<AwsCredentials> creds = CredentialsFromJson(*out, "SessionToken", what);
    if (!creds.ok()) return creds.status();
    return Found(*creds);
  }

  Result<Found> Container() {
    std::string relative = env_.Get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    std::string full = env_.Get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (relative.empty() && full.empty()) {
      Skip("container", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI not set");
      return Found();
    }
    std::string url = relative.empty() ? full : options_.container_base_url + relative;
    std::string what = "container credentials from " + Origin(url);
    if (relative.empty() && !AllowedFullUri(full)) {
      return Status::InvalidArgument(
          what + ": AWS_CONTAINER_CREDENTIALS_FULL_URI must be https or a loopback/ECS/EKS host");
    }
    Result<std::string> token = AuthorizationToken(what);
    if (!token.ok()) return token.status();
    std::vector<std::string> headers;
    if (!token->empty()) headers.push_back("Authorization: " + *token);
    Result<PlainResponse> resp = PlainRequest("GET", url, headers, options_.metadata_timeout);
    if (!resp.ok()) return resp.status().WithContext(what);
    if (resp->status != 200) {
      return Status::Permission(what + ": HTTP " + std::to_string(resp->status));
    }
    Result<AwsCredentials> creds = CredentialsFromJson(resp->body, "Token", "container");
    if (!creds.ok()) return creds.status().WithContext(what);
    return Found(*creds);
  }

  Result<std::string> AuthorizationToken(const std::string& what) const {
    std::string file = env_.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    if (file.empty()) return env_.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    std::ifstream in(file);
    if (!in) {
      return Status::InvalidArgument(what +
                                     ": cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " +
                                     file + ": " + std::strerror(errno));
    }
    std::ostringstream text;
    text << in.rdbuf();
    return TrimWhitespace(text.str());
  }

  Result<Found> InstanceMetadata() {
    if (AsciiLower(env_.Get("AWS_EC2_METADATA_DISABLED")) == "true") {
      Skip("EC2 instance metadata", "AWS_EC2_METADATA_DISABLED=true");
      return Found();
    }
    std::string base = env_.Get("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    if (base.empty()) {
      bool ipv6 = AsciiLower(env_.Get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")) == "ipv6";
      base = ipv6 ? "http://[fd00:ec2::254]" : "http://169.254.169.254";
    }
    while (!base.empty() && base.back() == '/') base.pop_back();
    std::string source = "EC2 instance metadata " + Origin(base);
    auto timeout = options_.metadata_timeout;
    Result<PlainResponse> token =
        PlainRequest("PUT", base + "/latest/api/token",
                     {"X-aws-ec2-metadata-token-ttl-seconds: 21600"}, timeout);
    if (!token.ok() || token->status != 200) {
      Skip(source, token.ok() ? "token request: HTTP " + std::to_string(token->status)
                              : token.status().message());
      return Found();
    }
    std::vector<std::string> auth = {"X-aws-ec2-metadata-token: " + TrimWhitespace(token->body)};
    std::string roles_url = base + "/latest/meta-data/iam/security-credentials/";
    Result<PlainResponse> roles = PlainRequest("GET", roles_url, auth, timeout);
    std::string role = roles.ok() && roles->status == 200 ? TrimWhitespace(roles->body) : "";
    role = role.substr(0, role.find('\n'));
    if (role.empty()) {
      Skip(source, "no IAM role attached to the instance");
      return Found();
    }
    Result<PlainResponse> resp = PlainRequest("GET", roles_url + role, auth, timeout);
    if (!resp.ok()) return resp.status().WithContext(source);
    if (resp->status != 200) {
      return Status::Permission(source + ": role credentials: HTTP " +
                                std::to_string(resp->status));
    }
    Result<AwsCredentials> creds = CredentialsFromJson(resp->body, "Token", source);
    if (!creds.ok()) return creds.status();
    return Found(*creds);
  }

  const AwsEnvironment& env_;
  const CredentialsOptions& options_;
  std::vector<std::string> tried_;
  bool loaded_ = false;
  std::string cred_path_, config_path_;  // empty when neither the variable nor HOME is set
  AwsProfiles cred_profiles_, config_profiles_;
};

}  // namespace

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

CredentialsProvider::CredentialsProvider(AwsEnvironment env, CredentialsOptions options)
    : env_(std::move(env)), options_(std::move(options)) {}

Result<AwsCredentials> CredentialsProvider::Get() {
  std::lock_guard<std::mutex> lock(mu_);
  SysTime now = (options_.clock ? *options_.clock : SystemClock()).WallNow();
  bool fresh = cached_ && (cache_.expiration == SysTime::max() ||
                           cache_.expiration - options_.refresh_before > now);
  if (fresh) return cache_;
  Result<AwsCredentials> fetched = Fetch();
  if (!fetched.ok()) {
    if (cached_ && cache_.expiration > now) return cache_;  // still valid for a while
    return fetched.status();
  }
  cache_ = *fetched;
  cached_ = true;
  return cache_;
}

Result<AwsCredentials> CredentialsProvider::Fetch() { return Chain(env_, options_).Run(); }

std::string CredentialsProvider::Profile() const { return ProfileName(env_); }

std::string CredentialsProvider::Region() const {
  for (const char* var : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    std::string region = env_.Get(var);
    if (!region.empty()) return region;
  }
  std::string path = SharedFilePath(env_, AwsFileKind::kConfig);
  Result<AwsProfiles> profiles = path.empty() ? Result<AwsProfiles>(AwsProfiles{})
                                              : LoadAwsProfiles(path, AwsFileKind::kConfig);
  if (!profiles.ok()) return "";
  auto p = profiles->find(Profile());
  if (p == profiles->end()) return "";
  auto r = p->second.find("region");
  return r == p->second.end() ? "" : r->second;
}

}  // namespace tenantshift
