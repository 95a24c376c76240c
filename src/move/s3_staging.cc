#include "move/s3_staging.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <memory>

#include "aws/aws_http.h"
#include "aws/credentials.h"

namespace tenantshift {

std::string StagingRunId(int64_t ledger_run_id) {
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &utc);
  return fmt::format("r{}-{}-{}", ledger_run_id, stamp, static_cast<long>(getpid()));
}

Result<StagingConfig> MakeS3Staging(const std::string& via, const std::string& run_id) {
  Result<S3Url> url = S3Url::Parse(via);
  if (!url.ok()) return url.status().WithContext("--via");
  auto credentials = std::make_shared<CredentialsProvider>(AwsEnvironment::FromProcess());
  std::string region = credentials->Region();
  if (region.empty()) {
    return Status::InvalidArgument("--via " + via +
                                   ": no AWS region (set AWS_REGION or a profile's region)");
  }
  StagingConfig config;
  config.url = via;
  config.run_id = run_id;
  config.s3 = [credentials, region]() -> Result<std::unique_ptr<S3Client>> {
    return std::make_unique<S3Client>(
        std::make_unique<AwsHttp>(ResolveEndpoint("s3", region), region, credentials.get()));
  };
  Result<std::unique_ptr<S3Client>> client = config.s3();
  if (!client.ok()) return client.status();
  Status s = (*client)->CheckBucket(url->bucket, url->key);
  if (!s.ok()) {
    return s.WithContext("--via " + via +
                         ": cannot use the staging location (check the bucket "
                         "name, the region, the credentials and AWS_ENDPOINT_URL_S3)");
  }
  return config;
}

}  // namespace tenantshift
