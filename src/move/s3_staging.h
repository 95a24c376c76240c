// The StagingConfig behind --via s3://bucket/prefix: the URL checked, an S3 client factory
// built from the AWS credential chain and region (AWS_ENDPOINT_URL_S3 for a local S3), and the
// bucket checked before anything changes.
// Thread-safety: the returned config's factory may be called from any worker thread.
#pragma once

#include <string>

#include "move/staging.h"
#include "util/status.h"

namespace tenantshift {

// A run id no other run shares, even from another work directory: "r<ledger run id>-<UTC
// time>-<pid>".
std::string StagingRunId(int64_t ledger_run_id);

// For `via` ("s3://bucket/prefix"): kInvalidArgument when the URL is malformed or no region
// is set; kConnection/kPermission/kInvalidArgument (missing bucket) from S3 when a one-key
// listing of the prefix fails. The error says what to fix. Credentials never appear in it.
Result<StagingConfig> MakeS3Staging(const std::string& via, const std::string& run_id);

}  // namespace tenantshift
