#include "aws/s3.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>

#include "aws/s3_xml.h"

namespace tenantshift {
namespace {

constexpr size_t kDeleteBatch = 1000;  // DeleteObjects' limit per request

bool ValidBucketName(const std::string& b) {
  if (b.size() < 3 || b.size() > 63) return false;
  for (char c : b) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!ok) return false;
  }
  auto alnum = [](char c) { return c != '.' && c != '-'; };
  return alnum(b.front()) && alnum(b.back());
}

std::string Where(const std::string& bucket, const std::string& key) {
  return S3Url{bucket, key}.ToString();
}

// A non-2xx answer as a Status: the code says what a caller can do about it.
Status FromResponse(const AwsResponse& r, const std::string& where) {
  std::string msg = where + ": " + AwsErrorMessage(r);
  if (r.status == 401 || r.status == 403) return Status::Permission(msg);
  if (r.status == 404) return Status::InvalidArgument(msg);
  if (r.status == 429 || r.status >= 500) return Status::Retryable(msg);
  return Status::Server(msg);
}

// Base64 of the MD5 of `data`: the Content-MD5 header DeleteObjects requires.
std::string ContentMd5(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr);
  unsigned char out[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  int n = EVP_EncodeBlock(out, digest, static_cast<int>(len));
  return std::string(reinterpret_cast<char*>(out), static_cast<size_t>(n));
}

std::string QueryParam(const std::string& name, const std::string& value) {
  return name + "=" + AwsUriEncode(value, /*keep_slash=*/false);
}

}  // namespace

Result<S3Url> S3Url::Parse(const std::string& url) {
  const std::string scheme = "s3://";
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument(fmt::format(
        "bad S3 location '{}': {} (expected s3://bucket or s3://bucket/prefix)", url, why));
  };
  if (url.compare(0, scheme.size(), scheme) != 0) return bad("it does not start with s3://");
  std::string rest = url.substr(scheme.size());
  size_t slash = rest.find('/');
  S3Url out;
  out.bucket = rest.substr(0, slash);
  if (slash != std::string::npos) out.key = rest.substr(slash + 1);
  if (out.bucket.empty()) return bad("no bucket name");
  if (!ValidBucketName(out.bucket)) {
    return bad("'" + out.bucket +
               "' is not a bucket name (3-63 characters: a-z, 0-9, '.', '-', starting and "
               "ending with a letter or digit)");
  }
  if (out.key.find("//") != std::string::npos || out.key.rfind('/', 0) == 0) {
    return bad("empty path segment in the prefix");
  }
  for (unsigned char c : out.key) {
    if (c < 0x20 || c == 0x7f) return bad("control character in the prefix");
  }
  return out;
}

std::string S3Url::ToString() const { return "s3://" + bucket + "/" + key; }

// ---- S3Upload ----

S3Upload::S3Upload(S3Client* client, std::string bucket, std::string key, size_t part_size)
    : client_(client),
      bucket_(std::move(bucket)),
      key_(std::move(key)),
      part_size_(std::max(part_size, S3Client::kMinPartSize)) {
  buffer_.reserve(part_size_);
}

S3Upload::~S3Upload() {
  if (!done_) Abort();
}

Status S3Upload::Write(const char* data, size_t len) {
  if (done_) return Status::Internal(Where(bucket_, key_) + ": write after the upload ended");
  while (len > 0) {
    size_t take = std::min(len, part_size_ - buffer_.size());
    buffer_.append(data, take);
    data += take;
    len -= take;
    if (buffer_.size() == part_size_) {
      Status s = FlushPart();
      if (!s.ok()) return Fail(s);
    }
  }
  return Status::Ok();
}

Status S3Upload::FlushPart() {
  if (upload_id_.empty()) {
    AwsRequest req = client_->Request("POST", bucket_, key_, "uploads=");
    Result<AwsResponse> r = client_->Call(req, bucket_, key_);
    if (!r.ok()) return r.status();
    Result<std::string> id = ParseInitiateMultipartUpload(r->body);
    if (!id.ok()) return id.status().WithContext(Where(bucket_, key_));
    upload_id_ = *id;
  }
  int part = static_cast<int>(etags_.size()) + 1;
  Result<std::string> etag = client_->UploadPart(bucket_, key_, upload_id_, part, buffer_);
  if (!etag.ok()) return etag.status();
  etags_.push_back(*etag);
  bytes_ += static_cast<int64_t>(buffer_.size());
  buffer_.clear();
  return Status::Ok();
}

Result<int64_t> S3Upload::Finish() {
  if (done_) return Status::Internal(Where(bucket_, key_) + ": upload already ended");
  if (upload_id_.empty()) {  // everything fit in one part: a plain PUT
    Status s = client_->Put(bucket_, key_, buffer_);
    if (!s.ok()) return Fail(s);
    done_ = true;
    return static_cast<int64_t>(buffer_.size());
  }
  if (!buffer_.empty()) {
    Status s = FlushPart();
    if (!s.ok()) return Fail(s);
  }
  AwsRequest req = client_->Request("POST", bucket_, key_, QueryParam("uploadId", upload_id_));
  req.body = CompleteMultipartUploadXml(etags_);
  req.headers["content-type"] = "application/xml";
  Result<AwsResponse> r = client_->Call(req, bucket_, key_);
  if (!r.ok()) return Fail(r.status());
  // CompleteMultipartUpload may answer 200 and still fail: the error is in the body.
  S3ErrorBody err = ParseS3Error(r->body);
  if (!err.code.empty()) {
    return Fail(Status::Server(Where(bucket_, key_) + ": " + err.code + ": " + err.message));
  }
  done_ = true;
  return bytes_;
}

Status S3Upload::Abort() {
  if (done_) return Status::Ok();
  done_ = true;
  buffer_.clear();
  if (upload_id_.empty()) return Status::Ok();  // nothing was sent
  AwsRequest req = client_->Request("DELETE", bucket_, key_, QueryParam("uploadId", upload_id_));
  Result<AwsResponse> r = client_->Call(req, bucket_, key_);
  if (r.ok()) return Status::Ok();
  return Status(r.status())
      .WithContext(fmt::format("the multipart upload {} of {} could not be aborted and is left "
                               "behind (remove it with AbortMultipartUpload)",
                               upload_id_, Where(bucket_, key_)));
}

Status S3Upload::Fail(const Status& cause) {
  Status abort = Abort();
  if (abort.ok()) return cause;
  return Status(cause).WithContext(abort.message());
}

// ---- S3Client ----

S3Client::S3Client(AwsHttp* http) : http_(http) {}

S3Client::S3Client(std::unique_ptr<AwsHttp> http)
    : owned_http_(std::move(http)), http_(owned_http_.get()) {}

AwsRequest S3Client::Request(const std::string& method, const std::string& bucket,
                             const std::string& key, const std::string& query) const {
  AwsRequest req;
  req.method = method;
  req.service = "s3";
  req.query = query;
  std::string object = key.empty() ? "" : "/" + AwsUriEncode(key, /*keep_slash=*/true);
  // A bucket name with a '.' goes in the path even on AWS's own endpoint: "the SSL wildcard
  // certificate only matches buckets that don't contain periods"
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html); botocore's
  // check_dns_name makes the same choice (O2, tests/aws_oracle).
  if (http_->endpoint().path_style || bucket.find('.') != std::string::npos) {
    req.path = "/" + bucket + object;
  } else {
    req.host_prefix = bucket + ".";
    req.path = object.empty() ? "/" : object;
  }
  return req;
}

Result<AwsResponse> S3Client::Call(const AwsRequest& request, const std::string& bucket,
                                   const std::string& key) {
  Result<AwsResponse> r = http_->Send(request);
  if (!r.ok()) return r.status().WithContext(Where(bucket, key));
  if (r->status < 200 || r->status >= 300) return FromResponse(*r, Where(bucket, key));
  return r;
}

Status S3Client::Get(const std::string& bucket, const std::string& key, const S3Sink& sink) {
  AwsRequest req = Request("GET", bucket, key, "");
  Status sink_status;
  req.on_body = [&](const char* data, size_t len) {
    sink_status = sink(data, len);
    return sink_status.ok();
  };
  Result<AwsResponse> r = Call(req, bucket, key);
  if (!sink_status.ok()) return sink_status;
  return r.status();
}

Status S3Client::Put(const std::string& bucket, const std::string& key, const std::string& data) {
  AwsRequest req = Request("PUT", bucket, key, "");
  req.body = data;
  return Call(req, bucket, key).status();
}

Result<std::string> S3Client::UploadPart(const std::string& bucket, const std::string& key,
                                         const std::string& upload_id, int part,
                                         const std::string& data) {
  AwsRequest req = Request(
      "PUT", bucket, key,
      QueryParam("partNumber", std::to_string(part)) + "&" + QueryParam("uploadId", upload_id));
  req.body = data;
  Result<AwsResponse> r = Call(req, bucket, key);
  if (!r.ok()) return r.status();
  auto etag = r->headers.find("etag");
  if (etag == r->headers.end() || etag->second.empty()) {
    return Status::Server(fmt::format("{}: S3 gave part {} no ETag", Where(bucket, key), part));
  }
  return etag->second;
}

std::unique_ptr<S3Upload> S3Client::StartUpload(const std::string& bucket, const std::string& key,
                                                size_t part_size) {
  return std::unique_ptr<S3Upload>(new S3Upload(this, bucket, key, part_size));
}

Result<int64_t> S3Client::Upload(const std::string& bucket, const std::string& key,
                                 const S3Source& source, size_t part_size) {
  std::unique_ptr<S3Upload> upload = StartUpload(bucket, key, part_size);
  std::string buf(256u << 10, '\0');
  for (;;) {
    Result<size_t> n = source(buf.data(), buf.size());
    if (!n.ok()) {
      return upload->Fail(n.status().WithContext("upload to " + Where(bucket, key) + " stopped"));
    }
    if (*n == 0) return upload->Finish();
    Status s = upload->Write(buf.data(), *n);
    if (!s.ok()) return s;
  }
}

Result<std::vector<S3Object>> S3Client::List(const std::string& bucket, const std::string& prefix) {
  std::vector<S3Object> all;
  std::string token;
  for (;;) {
    // encoding-type=url, as botocore always asks: S3 then percent-encodes the keys it returns,
    // so a key with characters XML 1.0 cannot carry still comes back (O3, tests/aws_oracle;
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html).
    std::string query = "encoding-type=url&list-type=2&" +
                        QueryParam("max-keys", std::to_string(list_page_size_)) + "&" +
                        QueryParam("prefix", prefix);
    if (!token.empty()) query += "&" + QueryParam("continuation-token", token);
    Result<AwsResponse> r = Call(Request("GET", bucket, "", query), bucket, prefix);
    if (!r.ok()) return r.status();
    Result<S3ListPage> page = ParseListObjectsV2(r->body);
    if (!page.ok()) return page.status().WithContext(Where(bucket, prefix));
    for (S3Object& o : page->objects) all.push_back(std::move(o));
    if (!page->truncated) return all;
    token = page->next_token;
  }
}

Status S3Client::Delete(const std::string& bucket, const std::vector<std::string>& keys) {
  for (size_t begin = 0; begin < keys.size(); begin += kDeleteBatch) {
    std::vector<std::string> batch(keys.begin() + begin,
                                   keys.begin() + std::min(keys.size(), begin + kDeleteBatch));
    AwsRequest req = Request("POST", bucket, "", "delete=");
    req.body = DeleteObjectsXml(batch);
    req.headers["content-type"] = "application/xml";
    req.headers["content-md5"] = ContentMd5(req.body);
    Result<AwsResponse> r = Call(req, bucket, batch.front());
    if (!r.ok()) return r.status();
    Result<std::vector<S3DeleteError>> errors = ParseDeleteObjectsResult(r->body);
    if (!errors.ok()) return errors.status().WithContext(Where(bucket, batch.front()));
    if (!errors->empty()) {
      const S3DeleteError& e = errors->front();
      return Status::Server(fmt::format("{}: {}: {} ({} of {} keys not deleted)",
                                        Where(bucket, e.key), e.code, e.message, errors->size(),
                                        batch.size()));
    }
  }
  return Status::Ok();
}

Status S3Client::DeletePrefix(const std::string& bucket, const std::string& prefix) {
  Result<std::vector<S3Object>> objects = List(bucket, prefix);
  if (!objects.ok()) return objects.status();
  std::vector<std::string> keys;
  for (const S3Object& o : *objects) keys.push_back(o.key);
  return Delete(bucket, keys);
}

Status S3Client::CheckBucket(const std::string& bucket, const std::string& prefix) {
  std::string query = "encoding-type=url&list-type=2&max-keys=1&" + QueryParam("prefix", prefix);
  return Call(Request("GET", bucket, "", query), bucket, prefix).status();
}

}  // namespace tenantshift
