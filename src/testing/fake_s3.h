// FakeS3: one in-memory S3 bucket behind a local HttpServer, with an S3Client pointed at it.
//
// For S3Client paths a real local S3 (s3rver) cannot show: s3rver implements neither
// AbortMultipartUpload nor ListMultipartUploads and does not check signatures. It speaks the
// subset S3Client uses: PUT/GET object, multipart (initiate, part, complete, abort), ListObjectsV2
// (one page) and DeleteObjects, with knobs to make parts or the completion fail. Everything the
// client sent stays visible through requests().
// Thread-safety: the server serialises handler calls; read the public state only while no
// client call is running.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "aws/s3.h"
#include "testing/http_server.h"

namespace tenantshift {

class FakeS3 {
 public:
  static constexpr const char* kSecret = "fake-s3-secret-never-shown";

  explicit FakeS3(std::string bucket = "bkt");

  S3Client& client() { return client_; }
  std::string url() const { return server_.url(); }  // for AWS_ENDPOINT_URL_S3
  std::vector<HttpServer::Request> requests() const { return server_.requests(); }

  // Knobs: the status of every UploadPart answer (non-200 sends an AccessDenied body), and a
  // body CompleteMultipartUpload answers with status 200 (empty: success).
  int part_status = 200;
  std::string complete_body;

  std::map<std::string, std::string> objects;  // key -> bytes
  std::set<std::string> pending_uploads;       // initiated, neither completed nor aborted
  std::set<std::string> Keys() const;

 private:
  HttpServer::Response Handle(const HttpServer::Request& r);
  HttpServer::Response Multipart(const HttpServer::Request& r, const std::string& key);
  HttpServer::Response List(const HttpServer::Request& r);
  HttpServer::Response DeleteObjects(const HttpServer::Request& r);

  std::string bucket_;
  std::map<std::string, std::vector<std::string>> parts_;  // upload id -> part bodies
  int next_upload_ = 0;
  HttpServer server_;
  CredentialsProvider credentials_;
  AwsHttp http_;
  S3Client client_;
};

}  // namespace tenantshift
