// S3Client: the S3 calls tenantshift needs, over AwsHttp: streaming GET, PUT (multipart above a
// threshold, aborted on failure), ListObjectsV2 with pagination, and batch delete.
//
// Errors carry the bucket, the key and S3's error code ("s3://b/k: NoSuchKey: ...").
// Thread-safety: one S3Client per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "aws/aws_http.h"
#include "util/status.h"

namespace tenantshift {

// "s3://bucket/some/prefix/" split into its parts; InvalidArgument for anything else.
struct S3Url {
  std::string bucket;
  std::string key;  // without a leading slash; may be empty or end with "/"
  static Result<S3Url> Parse(const std::string& url);
  std::string ToString() const;  // "s3://bucket/key"
};

struct S3Object {
  std::string key;
  int64_t size = 0;
  std::string etag;
};

// Receives an object's bytes in order; returning a non-OK Status aborts the transfer.
using S3Sink = std::function<Status(const char* data, size_t len)>;
// Fills `buf` with up to `len` bytes of the object to upload; 0 at the end.
using S3Source = std::function<Result<size_t>(char* buf, size_t len)>;

class S3Client {
 public:
  explicit S3Client(AwsHttp* http);

  // Streams the object into `sink`.
  Status Get(const std::string& bucket, const std::string& key, const S3Sink& sink);
  // Uploads small data in one PUT.
  Status Put(const std::string& bucket, const std::string& key, const std::string& data);
  // Uploads a stream of unknown length: one PUT when it fits in `part_size`, else a multipart
  // upload of `part_size` parts (at least 5 MiB), aborted (nothing left behind) when the source
  // or S3 fails. Returns the bytes uploaded.
  Result<int64_t> Upload(const std::string& bucket, const std::string& key, const S3Source& source,
                         size_t part_size = 16u << 20);
  // Every object under `prefix`, following continuation tokens.
  Result<std::vector<S3Object>> List(const std::string& bucket, const std::string& prefix);
  // Deletes the keys, 1,000 per DeleteObjects request; a missing key is not an error.
  Status Delete(const std::string& bucket, const std::vector<std::string>& keys);
  // List + Delete.
  Status DeletePrefix(const std::string& bucket, const std::string& prefix);

 private:
  AwsHttp* http_;
};

}  // namespace tenantshift
