// S3Client's error paths against a local HTTP server playing S3 (src/testing/fake_s3.h): the
// cases s3rver cannot show (it implements neither AbortMultipartUpload nor
// ListMultipartUploads, and does not check SigV4 signatures). The happy paths run against a
// real s3rver in tests/integration/s3_live_test.cc.
#include "aws/s3.h"

#include <gtest/gtest.h>

#include <set>

#include "testing/fake_s3.h"

namespace tenantshift {
namespace {

class S3ClientTest : public ::testing::Test {
 protected:
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
    for (const auto& r : s3_.requests()) out.push_back(r.method + " " + r.query.substr(0, 9));
    return out;
  }

  FakeS3 s3_;
  S3Client& client_ = s3_.client();
};

constexpr size_t kMiB = 1u << 20;

TEST_F(S3ClientTest, SourceFailingMidwayAbortsTheMultipartUpload) {
  Result<int64_t> n =
      client_.Upload("bkt", "run/t/part-0.csv", Source(12 * kMiB, 6 * kMiB), 5 * kMiB);
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find("disk on fire"), std::string::npos) << n.status().message();
  EXPECT_NE(n.status().message().find("s3://bkt/run/t/part-0.csv"), std::string::npos);
  // Initiated, one part sent, then aborted; never completed.
  EXPECT_EQ(Methods(),
            (std::vector<std::string>{"POST uploads=", "PUT partNumbe", "DELETE uploadId="}));
  EXPECT_TRUE(s3_.pending_uploads.empty());
  EXPECT_TRUE(s3_.objects.empty());
}

TEST_F(S3ClientTest, RefusedPartAbortsAndNamesTheObjectAndCode) {
  s3_.part_status = 403;
  Result<int64_t> n = client_.Upload("bkt", "k", Source(11 * kMiB, 11 * kMiB), 5 * kMiB);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), Status::Code::kPermission);
  EXPECT_NE(n.status().message().find("s3://bkt/k: AccessDenied: AccessDenied"), std::string::npos)
      << n.status().message();
  EXPECT_TRUE(s3_.pending_uploads.empty());
  EXPECT_EQ(n.status().message().find(FakeS3::kSecret), std::string::npos);
}

TEST_F(S3ClientTest, CompleteAnswering200WithAnErrorBodyFailsAndAborts) {
  s3_.complete_body = "<Error><Code>InternalError</Code><Message>try again</Message></Error>";
  Result<int64_t> n = client_.Upload("bkt", "k", Source(11 * kMiB, 11 * kMiB), 5 * kMiB);
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find("InternalError"), std::string::npos);
  EXPECT_TRUE(s3_.pending_uploads.empty());
  EXPECT_TRUE(s3_.objects.empty());
}

TEST_F(S3ClientTest, MultipartUploadSendsPartsOfThePartSizeAndCompletes) {
  Result<int64_t> n = client_.Upload("bkt", "k", Source(12 * kMiB, 12 * kMiB), 5 * kMiB);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, int64_t{12} * kMiB);
  std::vector<HttpServer::Request> reqs = s3_.requests();
  ASSERT_EQ(reqs.size(), 5u);  // initiate, 3 parts, complete
  EXPECT_EQ(reqs[1].body.size(), 5 * kMiB);
  EXPECT_EQ(reqs[2].body.size(), 5 * kMiB);
  EXPECT_EQ(reqs[3].body.size(), 2 * kMiB);
  EXPECT_NE(reqs[4].body.find("<ETag>\"etag-2097152\"</ETag><PartNumber>3</PartNumber>"),
            std::string::npos)
      << reqs[4].body;
  EXPECT_TRUE(s3_.pending_uploads.empty());
  EXPECT_EQ(s3_.objects["k"].size(), 12 * kMiB);
}

TEST_F(S3ClientTest, SmallStreamIsOnePut) {
  Result<int64_t> n = client_.Upload("bkt", "dir/a b+c", Source(100, 100), 5 * kMiB);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 100);
  ASSERT_EQ(s3_.requests().size(), 1u);
  EXPECT_EQ(s3_.requests()[0].method, "PUT");
  EXPECT_EQ(s3_.requests()[0].path, "/bkt/dir/a%20b%2Bc");
  EXPECT_EQ(s3_.objects["dir/a b+c"], std::string(100, 'x'));
}

TEST_F(S3ClientTest, MissingBucketNamesBucketAndCode) {
  Result<std::vector<S3Object>> list = client_.List("nobucket", "staging/");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(list.status().message().find("s3://nobucket/staging/: NoSuchBucket"), std::string::npos)
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

namespace tenantshift {
namespace {

// O2: on an endpoint that is not path style (AWS's own), a bucket name with a dot still goes in
// the path: AWS's wildcard certificate does not cover "a.b.s3.<region>.amazonaws.com"
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html; botocore's
// check_dns_name). Were the bucket put in the host name, the request would go to
// "stage.bkt.127.0.0.1" and never reach the fake.
TEST(S3AddressingTest, DottedBucketsUsePathStyleEvenOnVirtualHostedEndpoints) {
  FakeS3 s3("stage.bkt");
  CredentialsProvider creds(AwsEnvironment{
      {{"AWS_ACCESS_KEY_ID", "AKIDX"}, {"AWS_SECRET_ACCESS_KEY", "x"}, {"HOME", "/nonexistent"}}});
  AwsHttp http(AwsEndpoint{s3.url(), /*path_style=*/false}, "us-east-1", &creds);
  S3Client client(&http);
  Status s = client.Put("stage.bkt", "run/a.csv", "1\n");
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(s3.requests().size(), 1u);
  EXPECT_EQ(s3.requests()[0].path, "/stage.bkt/run/a.csv");
  EXPECT_EQ(s3.objects["run/a.csv"], "1\n");
}

}  // namespace
}  // namespace tenantshift
