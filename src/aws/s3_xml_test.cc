#include "aws/s3_xml.h"

#include <gtest/gtest.h>

namespace tenantshift {
namespace {

// Bodies written from the S3 API reference (ListObjectsV2, CreateMultipartUpload,
// CompleteMultipartUpload, DeleteObjects, Error responses).
TEST(S3XmlTest, ListObjectsV2PageWithContinuationToken) {
  const std::string body = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name><Prefix>run/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <Contents><Key>run/a&amp;b "q".csv</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>
    <ETag>"9b2cf535f27731c974343645a3985328"</ETag><Size>12582912</Size>
    <StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>run/%C3%BC</Key><ETag>"x"</ETag><Size>0</Size></Contents>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListBucketResult>)";
  Result<S3ListPage> page = ParseListObjectsV2(body);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->objects.size(), 2u);
  EXPECT_EQ(page->objects[0].key, "run/a&b \"q\".csv");
  EXPECT_EQ(page->objects[0].size, 12582912);
  EXPECT_EQ(page->objects[0].etag, "\"9b2cf535f27731c974343645a3985328\"");
  EXPECT_EQ(page->objects[1].key, "run/%C3%BC");
  EXPECT_EQ(page->objects[1].size, 0);
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

// With encoding-type=url S3 answers <EncodingType>url</EncodingType> and encodes keys; botocore
// decodes them with urllib's unquote_plus (botocore/handlers.py decode_list_object_v2), so
// "+" is a space and %2B a plus. Expected keys computed by hand from those rules.
TEST(S3XmlTest, UrlEncodedKeysAreDecodedOnlyWhenS3SaysSo) {
  Result<S3ListPage> page = ParseListObjectsV2(
      "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
      "<Contents><Key>run/a+b%2Bc%C3%BC%25</Key><Size>1</Size></Contents></ListBucketResult>");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->objects.size(), 1u);
  EXPECT_EQ(page->objects[0].key, "run/a b+c\xc3\xbc%");
}

TEST(S3XmlTest, LastListPageAndEmptyListing) {
  Result<S3ListPage> page = ParseListObjectsV2(
      "<ListBucketResult><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount>"
      "</ListBucketResult>");
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->objects.empty());
  EXPECT_FALSE(page->truncated);
}

TEST(S3XmlTest, MalformedAnswersAreServerErrorsNamingTheCall) {
  Result<S3ListPage> page = ParseListObjectsV2("<html>proxy error</html>");
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().code(), Status::Code::kServer);
  EXPECT_NE(page.status().message().find("ListObjectsV2"), std::string::npos);
  EXPECT_FALSE(ParseListObjectsV2("not xml <").ok());
  // Truncated without a token would loop forever.
  EXPECT_FALSE(ParseListObjectsV2("<ListBucketResult><IsTruncated>true</IsTruncated>"
                                  "</ListBucketResult>")
                   .ok());
}

TEST(S3XmlTest, InitiateMultipartUploadGivesTheUploadId) {
  Result<std::string> id = ParseInitiateMultipartUpload(
      R"(<?xml version="1.0" encoding="UTF-8"?>
<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>b</Bucket><Key>k</Key>
  <UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>
</InitiateMultipartUploadResult>)");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA");
  EXPECT_FALSE(ParseInitiateMultipartUpload(
                   "<InitiateMultipartUploadResult></InitiateMultipartUploadResult>")
                   .ok());
}

TEST(S3XmlTest, ErrorBodyCodeAndMessage) {
  S3ErrorBody e = ParseS3Error(R"(<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message>
<RequestId>656c76696e6727732072657175657374</RequestId></Error>)");
  EXPECT_EQ(e.code, "InternalError");
  EXPECT_EQ(e.message, "We encountered an internal error. Please try again.");
  // A successful CompleteMultipartUpload body is not an error.
  EXPECT_EQ(ParseS3Error("<CompleteMultipartUploadResult><ETag>\"e-2\"</ETag>"
                         "</CompleteMultipartUploadResult>")
                .code,
            "");
  EXPECT_EQ(ParseS3Error("").code, "");
}

TEST(S3XmlTest, DeleteObjectsPerKeyErrors) {
  Result<std::vector<S3DeleteError>> errors = ParseDeleteObjectsResult(
      R"(<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Deleted><Key>a</Key></Deleted>
  <Error><Key>b&lt;c</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>
</DeleteResult>)");
  ASSERT_TRUE(errors.ok());
  ASSERT_EQ(errors->size(), 1u);
  EXPECT_EQ((*errors)[0].key, "b<c");
  EXPECT_EQ((*errors)[0].code, "AccessDenied");
  EXPECT_EQ((*errors)[0].message, "Access Denied");
  EXPECT_FALSE(ParseDeleteObjectsResult("<Error><Code>NoSuchBucket</Code></Error>").ok());
}

TEST(S3XmlTest, RequestBodiesEscapeKeysAndNumberParts) {
  EXPECT_EQ(CompleteMultipartUploadXml({"\"e1\"", "\"e2\""}),
            "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<Part><ETag>\"e1\"</ETag><PartNumber>1</PartNumber></Part>"
            "<Part><ETag>\"e2\"</ETag><PartNumber>2</PartNumber></Part>"
            "</CompleteMultipartUpload>");
  EXPECT_EQ(DeleteObjectsXml({"a&b", "<c>"}),
            "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<Object><Key>a&amp;b</Key></Object><Object><Key>&lt;c&gt;</Key></Object>"
            "<Quiet>true</Quiet></Delete>");
}

}  // namespace
}  // namespace tenantshift
