// S3's XML bodies: building the requests (CompleteMultipartUpload, DeleteObjects) and parsing
// the responses (ListObjectsV2, InitiateMultipartUpload, CompleteMultipartUpload,
// DeleteObjects, error bodies), with pugixml. Pure functions, no I/O.
//
// Keys and values are escaped by pugixml when written and unescaped when read, so any key
// (quotes, ampersands, non-ASCII) survives a round trip.
// Thread-safety: stateless.
#pragma once

#include <string>
#include <vector>

#include "aws/s3.h"
#include "util/status.h"

namespace tenantshift {

// One page of a ListObjectsV2 answer.
struct S3ListPage {
  std::vector<S3Object> objects;
  bool truncated = false;
  std::string next_token;  // NextContinuationToken; set when truncated
};

// S3's <Error> body, which also arrives with status 200 from CompleteMultipartUpload.
struct S3ErrorBody {
  std::string code;     // "NoSuchKey", "AccessDenied", ...; empty when the body is no <Error>
  std::string message;  // S3's own sentence
};

// A key that DeleteObjects did not delete.
struct S3DeleteError {
  std::string key;
  std::string code;
  std::string message;
};

// ParseListObjectsV2 decodes the keys when the answer says <EncodingType>url</EncodingType>.
// The parsers return a kServer Status naming the call when the body is not the XML S3 sends
// for it.
Result<S3ListPage> ParseListObjectsV2(const std::string& body);
// The UploadId of an InitiateMultipartUpload answer.
Result<std::string> ParseInitiateMultipartUpload(const std::string& body);
// The <Error> in `body`, or an empty code when there is none (or the body is not XML).
S3ErrorBody ParseS3Error(const std::string& body);
// The <Error> entries of a DeleteObjects answer (quiet mode lists only those).
Result<std::vector<S3DeleteError>> ParseDeleteObjectsResult(const std::string& body);

// The request bodies list their elements in the order of botocore's s3 model (Part: ETag,
// PartNumber; Delete: Objects, Quiet), so tests/aws_oracle compares them byte for byte.
// <CompleteMultipartUpload> listing `etags` as parts 1, 2, ... in order.
std::string CompleteMultipartUploadXml(const std::vector<std::string>& etags);
// <Delete> with one <Object><Key> per key, then <Quiet>true</Quiet>.
std::string DeleteObjectsXml(const std::vector<std::string>& keys);

}  // namespace tenantshift
