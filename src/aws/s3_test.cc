// S3Client's error paths against a local HTTP server playing S3 (src/testing/http_server.h):
// the cases s3rver cannot show (it implements neither AbortMultipartUpload nor
// ListMultipartUploads, and does not check SigV4 signatures). The happy paths run against a
// real s3rver in tests/integration/s3_live_test.cc.
#include "aws/s3.h"

#include <gtest/gtest.h>

#include <set>

#include "testing/http_server.h"

namespace tenantshift {
namespace {

const char kSecret[] = "test-secret-key-never-shown";

// A tiny S3: one bucket "b"; records pending multipart uploads so a test can check none is left.
class FakeS3 {
 public:
  // Answers each part PUT with `part_status` (200 gives an ETag).
  int part_status = 200;
  // When set, CompleteMultipartUpload answers 200 with this body.
  std::string complete_body;
  std::set<std::string> pending;  // upload ids initiated and neither completed nor aborted
  std::map<std::string, std::string> objects;

  HttpServer::Response Handle(const HttpServer::Request& r) {
    if (r.method == "POST" && r.query == "uploads=") {
      std::string id = "up" + std::to_string(++next_id_);
      pending.insert(id);
      return Xml(200, "<InitiateMultipartUploadResult><Bucket>b</Bucket><UploadId>" + id +
                          "</UploadId></InitiateMultipartUploadResult>");
    }
    if (r.method == "PUT" && r.query.find("partNumber=") != std::string::npos) {
      if (part_status != 200) {
        return Xml(part_status,
                   "<Error><Code>AccessDenied</Code><Message>Access Denied</Message>"
                   "</Error>");
      }
      HttpServer::Response ok;
      ok.headers["ETag"] = "\"etag-" + std::to_string(r.body.size()) + "\"";
      return ok;
    }
    if (r.method == "POST" && r.query.rfind("uploadId=", 0) == 0) {
      if (!complete_body.empty()) return Xml(200, complete_body);
      pending.erase(r.query.substr(9));
      objects[r.path] = "(multipart)";
      return Xml(200,
                 "<CompleteMultipartUploadResult><ETag>\"x-2\"</ETag>"
                 "</CompleteMultipartUploadResult>");
    }
    if (r.method == "DELETE" && r.query.rfind("uploadId=", 0) == 0) {
      pending.erase(r.query.substr(9));
      return {204, {}, ""};
    }
    if (r.method == "PUT") {
      objects[r.path] = r.body;
      return {200, {{"ETag", "\"e\""}}, ""};
    }
    return Xml(403, "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>");
  }

 private:
  static HttpServer::Response Xml(int status, const std::string& body) {
    return {status, {{"Content-Type", "application/xml"}}, body};
  }
  int next_id_ = 0;
};

class S3ClientTest : public ::testing::Test {
 protected:
  S3ClientTest()
      : server_([this](const HttpServer::Request& r) { return s3_.Handle(r); }),
        credentials_(AwsEnvironment{{{"AWS_ACCESS_KEY_ID", "AKIDTEST"},
                                     {"AWS_SECRET_ACCESS_KEY", kSecret},
                                     {"HOME", "/nonexistent"}}}),
        http_(AwsEndpoint{server_.url(), true}, "us-east-1", &credentials_, NoWaits()),
        client_(&http_) {}

  static AwsHttpOptions NoWaits() {
    AwsHttpOptions o;
    o.retry.sleep = [](std::chrono::milliseconds) {};
    return o;
  }

  // A source of `total` bytes that fails with "disk on fire" after `fail_after` bytes (when
  // that is fewer).
  static S3Source Source(size_t total, size_t fail_after) {
    auto sent = std::make_shared<size_t>(0);
    return [=](char* buf, size_t len) -> Result<size_t> {
      if (*sent == total) return size_t{0};
      if (*sent >= fail_after) return Status::Server("disk on fire");
      size_t n = std::min({len, total - *sent, fail_after - *sent});
      std::fill(buf, buf + n, 'x');
      *sent += n;
      return n;
    };
  }

  std::vector<std::string> Methods() {
    std::vector<std::string> out;
    for (const auto& r : server_.requests()) out.push_back(r.method + " " + r.query.substr(0, 9));
    return out;
  }

  FakeS3 s3_;
  HttpServer server_;
  CredentialsProvider credentials_;
  AwsHttp http_;
  S3Client client_;
};

constexpr size_t kMiB = 1u << 20;

TEST_F(S3ClientTest, SourceFailingMidwayAbortsTheMultipartUpload) {
  Result<int64_t> n =
      client_.Upload("b", "run/t/part-0.csv", Source(12 * kMiB, 6 * kMiB), 5 * kMiB);
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find("disk on fire"), std::string::npos) << n.status().message();
  EXPECT_NE(n.status().message().find("s3://b/run/t/part-0.csv"), std::string::npos);
  // Initiated, one part sent, then aborted; never completed.
  EXPECT_EQ(Methods(),
            (std::vector<std::string>{"POST uploads=", "PUT partNumbe", "DELETE uploadId="}));
  EXPECT_TRUE(s3_.pending.empty());
  EXPECT_TRUE(s3_.objects.empty());
}

TEST_F(S3ClientTest, RefusedPartAbortsAndNamesTheObjectAndCode) {
  s3_.part_status = 403;
  Result<int64_t> n = client_.Upload("b", "k", Source(11 * kMiB, 11 * kMiB), 5 * kMiB);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), Status::Code::kPermission);
  EXPECT_NE(n.status().message().find("s3://b/k: AccessDenied: Access Denied"), std::string::npos)
      << n.status().message();
  EXPECT_TRUE(s3_.pending.empty());
  EXPECT_EQ(n.status().message().find(kSecret), std::string::npos);
}

TEST_F(S3ClientTest, CompleteAnswering200WithAnErrorBodyFailsAndAborts) {
  s3_.complete_body = "<Error><Code>InternalError</Code><Message>try again</Message></Error>";
  Result<int64_t> n = client_.Upload("b", "k", Source(11 * kMiB, 11 * kMiB), 5 * kMiB);
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find("InternalError"), std::string::npos);
  EXPECT_TRUE(s3_.pending.empty());
  EXPECT_TRUE(s3_.objects.empty());
}

TEST_F(S3ClientTest, MultipartUploadSendsPartsOfThePartSizeAndCompletes) {
  Result<int64_t> n = client_.Upload("b", "k", Source(12 * kMiB, 12 * kMiB), 5 * kMiB);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, int64_t{12} * kMiB);
  std::vector<HttpServer::Request> reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 5u);  // initiate, 3 parts, complete
  EXPECT_EQ(reqs[1].body.size(), 5 * kMiB);
  EXPECT_EQ(reqs[2].body.size(), 5 * kMiB);
  EXPECT_EQ(reqs[3].body.size(), 2 * kMiB);
  EXPECT_NE(reqs[4].body.find("<PartNumber>3</PartNumber><ETag>\"etag-2097152\"</ETag>"),
            std::string::npos)
      << reqs[4].body;
  EXPECT_TRUE(s3_.pending.empty());
}

TEST_F(S3ClientTest, SmallStreamIsOnePut) {
  Result<int64_t> n = client_.Upload("b", "dir/a b+c", Source(100, 100), 5 * kMiB);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 100);
  ASSERT_EQ(server_.request_count(), 1u);
  EXPECT_EQ(server_.requests()[0].method, "PUT");
  EXPECT_EQ(server_.requests()[0].path, "/b/dir/a%20b%2Bc");
}

TEST_F(S3ClientTest, ForbiddenListingNamesBucketAndCode) {
  Result<std::vector<S3Object>> list = client_.List("b", "staging/");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().code(), Status::Code::kPermission);
  EXPECT_NE(list.status().message().find("s3://b/staging/: AccessDenied"), std::string::npos)
      << list.status().message();
}

TEST(S3UrlTest, ParsesBucketAndPrefix) {
  Result<S3Url> u = S3Url::Parse("s3://my-bucket.x/a/b/");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->bucket, "my-bucket.x");
  EXPECT_EQ(u->key, "a/b/");
  EXPECT_EQ(u->ToString(), "s3://my-bucket.x/a/b/");
  u = S3Url::Parse("s3://bucket");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->key, "");
}

TEST(S3UrlTest, RejectsWhatIsNoS3Location) {
  for (const char* bad :
       {"", "bucket/x", "https://bucket/x", "s3://", "s3:///x", "s3://Bucket/x", "s3://b/x",
        "s3://bu_cket/x", "s3://-bucket/x", "s3://bucket//x", "s3://bucket/a\nb"}) {
    Result<S3Url> u = S3Url::Parse(bad);
    ASSERT_FALSE(u.ok()) << bad;
    EXPECT_EQ(u.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(u.status().message().find("s3://bucket/prefix"), std::string::npos);
  }
}

}  // namespace
}  // namespace tenantshift
