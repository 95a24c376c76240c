#include "testing/fake_s3.h"

#include <regex>

namespace tenantshift {
namespace {

// The value of query parameter `name`, decoded; empty when absent.
std::string Param(const std::string& query, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(query, m, std::regex("(^|&)" + name + "=([^&]*)"))) return "";
  return PercentDecode(m[2]);
}

HttpServer::Response Xml(int status, const std::string& body) {
  return {status, {{"Content-Type", "application/xml"}}, body};
}

// Retries without waiting.
AwsHttpOptions NoWaits() {
  AwsHttpOptions o;
  static const FakeClock clock;  // retries do not wait
  o.retry.clock = &clock;
  return o;
}

HttpServer::Response Error(int status, const std::string& code) {
  return Xml(status, "<Error><Code>" + code + "</Code><Message>" + code + "</Message></Error>");
}

}  // namespace

FakeS3::FakeS3(std::string bucket)
    : bucket_(std::move(bucket)),
      server_([this](const HttpServer::Request& r) { return Handle(r); }),
      credentials_(AwsEnvironment{{{"AWS_ACCESS_KEY_ID", "AKIDFAKES3"},
                                   {"AWS_SECRET_ACCESS_KEY", kSecret},
                                   {"HOME", "/nonexistent"}}}),
      http_(AwsEndpoint{server_.url(), true}, "us-east-1", &credentials_, NoWaits()),
      client_(&http_) {}

std::set<std::string> FakeS3::Keys() const {
  std::set<std::string> keys;
  for (const auto& [key, data] : objects) keys.insert(key);
  return keys;
}

HttpServer::Response FakeS3::Handle(const HttpServer::Request& r) {
  const std::string root = "/" + bucket_;
  if (r.path != root && r.path.rfind(root + "/", 0) != 0) return Error(404, "NoSuchBucket");
  std::string key = PercentDecode(r.path.substr(std::min(r.path.size(), root.size() + 1)));
  if (key.empty() && r.method == "GET") return List(r);
  if (key.empty() && r.method == "POST" && r.query == "delete=") return DeleteObjects(r);
  if (r.query.find("upload") != std::string::npos || !Param(r.query, "partNumber").empty()) {
    return Multipart(r, key);
  }
  if (r.method == "PUT") {
    objects[key] = r.body;
    return {200, {{"ETag", "\"e\""}}, ""};
  }
  if (r.method == "GET") {
    auto it = objects.find(key);
    return it == objects.end() ? Error(404, "NoSuchKey")
                               : HttpServer::Response{200, {}, it->second};
  }
  return Error(400, "NotImplementedHere");
}

HttpServer::Response FakeS3::Multipart(const HttpServer::Request& r, const std::string& key) {
  const std::string id = Param(r.query, "uploadId");
  if (r.method == "POST" && r.query == "uploads=") {
    std::string fresh = "up" + std::to_string(++next_upload_);
    pending_uploads.insert(fresh);
    return Xml(200, "<InitiateMultipartUploadResult><UploadId>" + fresh +
                        "</UploadId></InitiateMultipartUploadResult>");
  }
  if (!pending_uploads.count(id)) return Error(404, "NoSuchUpload");
  if (r.method == "PUT") {
    if (part_status != 200) return Error(part_status, "AccessDenied");
    parts_[id].push_back(r.body);
    return {200, {{"ETag", "\"etag-" + std::to_string(r.body.size()) + "\""}}, ""};
  }
  if (r.method == "POST") {
    if (!complete_body.empty()) return Xml(200, complete_body);
    std::string data;
    for (const std::string& part : parts_[id]) data += part;
    objects[key] = data;
  }
  pending_uploads.erase(id);  // completed, or aborted (DELETE)
  parts_.erase(id);
  return r.method == "DELETE" ? HttpServer::Response{204, {}, ""}
                              : Xml(200,
                                    "<CompleteMultipartUploadResult><ETag>\"x-2\"</ETag>"
                                    "</CompleteMultipartUploadResult>");
}

HttpServer::Response FakeS3::List(const HttpServer::Request& r) {
  const std::string prefix = Param(r.query, "prefix");
  std::string body = "<ListBucketResult><IsTruncated>false</IsTruncated>";
  for (const auto& [key, data] : objects) {
    if (key.rfind(prefix, 0) == 0) {
      body += "<Contents><Key>" + key + "</Key><Size>" + std::to_string(data.size()) +
              "</Size></Contents>";
    }
  }
  return Xml(200, body + "</ListBucketResult>");
}

HttpServer::Response FakeS3::DeleteObjects(const HttpServer::Request& r) {
  std::regex key("<Key>([^<]*)</Key>");
  for (auto it = std::sregex_iterator(r.body.begin(), r.body.end(), key);
       it != std::sregex_iterator(); ++it) {
    objects.erase((*it)[1]);
  }
  return Xml(200, "<DeleteResult></DeleteResult>");
}

}  // namespace tenantshift
