#include "aws/aws_http.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>
#include <utility>

#include "util/digest.h"
#include "util/text.h"

namespace tenantshift {
namespace {

// "b=2&a=1&c" -> "a=1&b=2&c=": parameters sorted by name then value, each with an '='.
std::string CanonicalQuery(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> params;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = std::min(query.find('&', start), query.size());
    std::string part = query.substr(start, end - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      if (eq == std::string::npos) {
        params.emplace_back(part, "");
      } else {
        params.emplace_back(part.substr(0, eq), part.substr(eq + 1));
      }
    }
    start = end + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

// base_url with `host_prefix` before the host and any trailing '/' removed, then path and query.
std::string RequestUrl(const AwsEndpoint& endpoint, const AwsRequest& request) {
  std::string base = endpoint.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  size_t scheme = base.find("://");
  if (!request.host_prefix.empty() && scheme != std::string::npos) {
    base.insert(scheme + 3, request.host_prefix);
  }
  std::string url = base + (request.path.empty() ? "/" : request.path);
  std::string query = CanonicalQuery(request.query);
  if (!query.empty()) url += "?" + query;
  return url;
}

// Error codes that mean "slow down" or "try again" whatever the HTTP status (S3's RequestTimeout
// comes as a 400).
bool IsTransientCode(const std::string& code) {
  static const std::set<std::string> kCodes = {"SlowDown",
                                               "Throttling",
                                               "ThrottlingException",
                                               "RequestLimitExceeded",
                                               "RequestThrottled",
                                               "RequestTimeout",
                                               "RequestTimeoutException",
                                               "TooManyRequestsException",
                                               "RequestThrottledException"};
  return kCodes.count(code) > 0;
}

// Failures of the request itself (a bad URL, no such protocol) that no retry can fix.
bool IsPermanentCurlError(CURLcode rc) {
  return rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL ||
         rc == CURLE_BAD_FUNCTION_ARGUMENT;
}

bool IsRetryableResponse(const AwsResponse& response) {
  if (response.status >= 500 || response.status == 429) return true;
  return response.status >= 400 && IsTransientCode(AwsErrorCode(response));
}

// The text of the first <tag>...</tag> in `xml`, entities decoded; empty when absent.
std::string XmlElement(const std::string& xml, const std::string& tag) {
  size_t open = xml.find("<" + tag + ">");
  if (open == std::string::npos) return "";
  open += tag.size() + 2;
  size_t close = xml.find("</" + tag + ">", open);
  if (close == std::string::npos) return "";
  std::string raw = xml.substr(open, close - open);
  static const std::pair<const char*, const char*> kEntities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [entity, text] : kEntities) {
    for (size_t at = raw.find(entity); at != std::string::npos; at = raw.find(entity, at + 1)) {
      raw.replace(at, std::char_traits<char>::length(entity), text);
    }
  }
  return raw;
}

std::string JsonString(const nlohmann::json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : "";
}

struct ErrorParts {
  std::string code;
  std::string message;
};

ErrorParts ParseError(const AwsResponse& response) {
  ErrorParts parts;
  nlohmann::json doc = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_object()) {
    parts.code = JsonString(doc, "__type");
    if (parts.code.empty()) parts.code = JsonString(doc, "code");
    parts.message = JsonString(doc, "message");
    if (parts.message.empty()) parts.message = JsonString(doc, "Message");
  } else {
    parts.code = XmlElement(response.body, "Code");
    parts.message = XmlElement(response.body, "Message");
  }
  auto type = response.headers.find("x-amzn-errortype");
  if (parts.code.empty() && type != response.headers.end()) {
    parts.code = type->second.substr(0, type->second.find(':'));
  }
  if (size_t hash = parts.code.rfind('#'); hash != std::string::npos) {
    parts.code = parts.code.substr(hash + 1);
  }
  return parts;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using CurlHeaders = std::unique_ptr<curl_slist, SlistDeleter>;

// One try of a request: what came back and what the streaming callbacks did.
struct Transfer {
  CURL* curl = nullptr;
  const AwsRequest* request = nullptr;
  AwsResponse response;
  bool stream_touched = false;  // read_body gave bytes or on_body received some: no retry
  bool aborted = false;         // read_body or on_body asked to stop
};

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    t->response.headers.clear();  // a new response (after 100 Continue or a redirect)
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    size_t b = line.find_first_not_of(" \t", colon + 1);
    size_t e = line.find_last_not_of(" \t\r\n");
    std::string value = (b == std::string::npos || e < b) ? "" : line.substr(b, e - b + 1);
    t->response.headers[AsciiLower(line.substr(0, colon))] = value;
  }
  return size * n;
}

size_t OnWrite(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  long status = 0;
  curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  if (t->request->on_body && status >= 200 && status < 300) {
    t->stream_touched = true;
    if (!t->request->on_body(data, size * n)) {
      t->aborted = true;
      return 0;
    }
    return size * n;
  }
  t->response.body.append(data, size * n);
  return size * n;
}

size_t OnRead(char* buf, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t got = t->request->read_body(buf, size * n);
  if (got == CURL_READFUNC_ABORT) {
    t->aborted = true;
  } else if (got > 0) {
    t->stream_touched = true;
  }
  return got;
}

// The request's headers for curl: the caller's, the session token, and for S3 the payload hash.
CurlHeaders BuildHeaders(const AwsRequest& request, const AwsCredentials& creds) {
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : request.headers) headers[AsciiLower(name)] = value;
  if (!creds.session_token.empty()) headers["x-amz-security-token"] = creds.session_token;
  if (request.service == "s3" && !headers.count("x-amz-content-sha256")) {
    headers["x-amz-content-sha256"] =
        request.read_body ? "UNSIGNED-PAYLOAD" : Sha256Hex(request.body);
  }
  bool sends_body = !request.read_body && (request.method == "POST" || request.method == "PUT");
  if (sends_body && !headers.count("content-type")) {
    headers["content-type"] = "application/octet-stream";  // not curl's form-urlencoded
  }
  curl_slist* list = nullptr;
  for (const auto& [name, value] : headers) {
    // An empty value needs curl's "name;" form; curl would otherwise drop the header.
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    list = curl_slist_append(list, line.c_str());
  }
  return CurlHeaders(list);
}

void SetMethodAndBody(CURL* curl, const AwsRequest& request) {
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.read_body) {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, OnRead);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body_size));
  } else if (request.method == "POST" || request.method == "PUT" || !request.body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  }
  if (request.method != "GET" && request.method != "HEAD") {  // e.g. a streamed POST stays POST
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
}

}  // namespace

struct AwsHttp::Impl {
  // One try of `request` at `url`; `t` receives the response and what the callbacks did.
  CURLcode Perform(const AwsRequest& request, const std::string& url, const std::string& region,
                   const AwsCredentials& creds, const AwsHttpOptions& options, Transfer* t);

  CurlHandle curl{curl_easy_init()};
  std::mt19937_64 rng{std::random_device{}()};
};

CURLcode AwsHttp::Impl::Perform(const AwsRequest& request, const std::string& url,
                                const std::string& region, const AwsCredentials& creds,
                                const AwsHttpOptions& options, Transfer* t) {
  CURL* c = curl.get();
  t->curl = c;
  t->request = &request;
  curl_easy_reset(c);  // keeps the connection cache: keep-alive across requests
  CurlHeaders headers = BuildHeaders(request, creds);
  std::string sigv4 = "aws:amz:" + region + ":" + request.service;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_AWS_SIGV4, sigv4.c_str());
  curl_easy_setopt(c, CURLOPT_USERNAME, creds.access_key_id.c_str());
  curl_easy_setopt(c, CURLOPT_PASSWORD, creds.secret_access_key.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.stall_timeout.count()));
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, t);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnWrite);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, t);
  curl_easy_setopt(c, CURLOPT_READDATA, t);
  SetMethodAndBody(c, request);
  CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &t->response.status);
  // Drop curl's copies of the secret key and the token now rather than at the next request.
  curl_easy_setopt(c, CURLOPT_PASSWORD, "");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
  return rc;
}

AwsEndpoint ResolveEndpoint(const std::string& service_id, const std::string& region) {
  return ResolveEndpoint(service_id, region, AwsEnvironment::FromProcess());
}

AwsEndpoint ResolveEndpoint(const std::string& service_id, const std::string& region,
                            const AwsEnvironment& env) {
  std::string var = "AWS_ENDPOINT_URL_";  // "Secrets Manager" -> AWS_ENDPOINT_URL_SECRETS_MANAGER
  std::string host;                       // "Secrets Manager" -> secretsmanager
  for (char c : AsciiLower(service_id)) {
    var +=
        (c == ' ' || c == '-') ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    if (c != ' ') host += c;
  }
  for (const std::string& name : {var, std::string("AWS_ENDPOINT_URL")}) {
    std::string url = env.Get(name);
    if (!url.empty()) return AwsEndpoint{url, /*path_style=*/true};
  }
  std::string suffix = region.rfind("cn-", 0) == 0 ? ".amazonaws.com.cn" : ".amazonaws.com";
  return AwsEndpoint{"https://" + host + "." + region + suffix, /*path_style=*/false};
}

std::string AwsUriEncode(const std::string& s, bool keep_slash) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

AwsHttp::AwsHttp(AwsEndpoint endpoint, std::string region, CredentialsProvider* credentials,
                 AwsHttpOptions options)
    : endpoint_(std::move(endpoint)),
      region_(std::move(region)),
      credentials_(credentials),
      options_(std::move(options)),
      impl_(std::make_unique<Impl>()) {}

AwsHttp::~AwsHttp() = default;

Result<AwsResponse> AwsHttp::Send(const AwsRequest& request) {
  std::string url = RequestUrl(endpoint_, request);
  std::string what = request.method + " " + url.substr(0, url.find('?'));
  if (region_.empty()) {
    return Status::InvalidArgument(what +
                                   ": no AWS region; set AWS_REGION or `region` in the profile");
  }
  if (request.read_body && request.body_size < 0) {
    return Status::InvalidArgument(what + ": a streamed upload needs body_size");
  }
  if (impl_->curl == nullptr) return Status::Internal("curl_easy_init failed");
  const AwsRetryPolicy& retry = options_.retry;
  for (int attempt = 1;; ++attempt) {
    Result<AwsCredentials> creds = credentials_->Get();
    if (!creds.ok()) return creds.status().WithContext(what);
    Transfer t;
    CURLcode rc = impl_->Perform(request, url, region_, *creds, options_, &t);
    if (t.aborted) return Status::Cancelled(what + ": transfer aborted by the caller");
    if (IsPermanentCurlError(rc)) {
      return Status::InvalidArgument(what + ": " + curl_easy_strerror(rc) +
                                     "; check the endpoint URL");
    }
    bool may_retry = attempt < retry.max_attempts && !t.stream_touched;
    if (rc != CURLE_OK && !may_retry) {
      return Status::Connection(what + ": " + curl_easy_strerror(rc) + " (after " +
                                std::to_string(attempt) + " tries)");
    }
    if (rc == CURLE_OK && (!may_retry || !IsRetryableResponse(t.response))) {
      return std::move(t.response);
    }
    const Clock& clock = retry.clock ? *retry.clock : SystemClock();
    clock.Sleep(BackoffDelay(retry.backoff, attempt,
                             std::uniform_real_distribution<double>(0, 1)(impl_->rng)));
  }
}

std::string AwsErrorCode(const AwsResponse& response) { return ParseError(response).code; }

std::string AwsErrorMessage(const AwsResponse& response) {
  ErrorParts parts = ParseError(response);
  std::string status = "HTTP " + std::to_string(response.status);
  std::string text = parts.code.empty() ? status : parts.code;
  if (!parts.message.empty()) text += ": " + parts.message;
  // S3 names a bucket's region when it is asked in the wrong one (301, 400 or 403).
  auto region = response.headers.find("x-amz-bucket-region");
  if (region != response.headers.end() && response.status >= 300) {
    text += " (the bucket is in " + region->second + "; set AWS_REGION to it)";
  }
  return text;
}

}  // namespace tenantshift
