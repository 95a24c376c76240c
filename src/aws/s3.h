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

class S3Client;

// One object being written as a stream of unknown length: bytes are buffered up to the part
// size; the first full part starts a multipart upload. Finish() completes it (or sends one PUT
// when everything fit in one part); a failed or abandoned upload is aborted, so S3 keeps
// neither an object nor a pending multipart upload. Create with S3Client::StartUpload.
class S3Upload {
 public:
  ~S3Upload();  // aborts when neither Finish() nor Abort() ran
  S3Upload(const S3Upload&) = delete;
  S3Upload& operator=(const S3Upload&) = delete;

  // Appends bytes; uploads a part whenever a full part is buffered. On failure the upload is
  // already aborted.
  Status Write(const char* data, size_t len);
  // Uploads what is left and completes the object; returns the bytes in it. On failure the
  // upload is aborted.
  Result<int64_t> Finish();
  // Gives up: aborts the multipart upload if one was started. The returned status says whether
  // the abort worked (a failed abort names the upload id left behind).
  Status Abort();

 private:
  friend class S3Client;
  S3Upload(S3Client* client, std::string bucket, std::string key, size_t part_size);
  Status FlushPart();
  // Adds context: "s3://bucket/key: " plus the abort's own failure, if any.
  Status Fail(const Status& cause);

  S3Client* client_;
  std::string bucket_;
  std::string key_;
  size_t part_size_;
  std::string buffer_;              // bytes not yet sent; at most part_size_
  std::string upload_id_;           // set once the multipart upload exists
  std::vector<std::string> etags_;  // one per uploaded part, in order
  int64_t bytes_ = 0;
  bool done_ = false;  // finished or aborted
};

class S3Client {
 public:
  // S3's smallest part (except the last one).
  static constexpr size_t kMinPartSize = 5u << 20;

  // REQUIRES: `http` outlives the client.
  explicit S3Client(AwsHttp* http);
  // A client that owns its AwsHttp.
  explicit S3Client(std::unique_ptr<AwsHttp> http);

  // Streams the object into `sink`. A sink error is returned as is.
  Status Get(const std::string& bucket, const std::string& key, const S3Sink& sink);
  // Uploads small data in one PUT.
  Status Put(const std::string& bucket, const std::string& key, const std::string& data);
  // A streaming upload into bucket/key with parts of `part_size` bytes (raised to
  // kMinPartSize when smaller).
  std::unique_ptr<S3Upload> StartUpload(const std::string& bucket, const std::string& key,
                                        size_t part_size = 16u << 20);
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
  // Checks that the bucket exists and these credentials may list it (one small ListObjectsV2).
  Status CheckBucket(const std::string& bucket, const std::string& prefix);

  // Keys per ListObjectsV2 page (S3's maximum and default: 1000); tests make it small.
  void set_list_page_size(int n) { list_page_size_ = n; }

 private:
  friend class S3Upload;
  // The request for bucket/key (path or virtual-host style, as the endpoint says).
  AwsRequest Request(const std::string& method, const std::string& bucket, const std::string& key,
                     const std::string& query) const;
  // Sends and turns transport failures and non-2xx answers into a Status naming s3://bucket/key.
  Result<AwsResponse> Call(const AwsRequest& request, const std::string& bucket,
                           const std::string& key);
  Result<std::string> UploadPart(const std::string& bucket, const std::string& key,
                                 const std::string& upload_id, int part, const std::string& data);

  std::unique_ptr<AwsHttp> owned_http_;  // null when the AwsHttp is borrowed
  AwsHttp* http_;
  int list_page_size_ = 1000;
};

}  // namespace tenantshift
