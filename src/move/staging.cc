#include "move/staging.h"

#include <fmt/format.h>

#include <algorithm>

#include "util/digest.h"

namespace tenantshift {

namespace {

bool SafeKeyChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.';
}

}  // namespace

std::string EncodeKeySegment(const std::string& name) {
  bool plain = !name.empty() && name.front() != '.' &&
               std::all_of(name.begin(), name.end(),
                           [](char c) { return SafeKeyChar(static_cast<unsigned char>(c)); });
  if (plain) return name;
  std::string out;
  for (unsigned char c : name) out += SafeKeyChar(c) ? static_cast<char>(c) : '_';
  if (!out.empty() && out.front() == '.') out.front() = '_';
  return out + "-" + Sha256Hex(name).substr(0, 32);  // the first 32 hex digits
}

bool IsRedshiftSafeUrl(const std::string& s3_url) {
  const std::string scheme = "s3://";
  if (s3_url.compare(0, scheme.size(), scheme) != 0) return false;
  return std::all_of(s3_url.begin() + scheme.size(), s3_url.end(), [](char c) {
    return SafeKeyChar(static_cast<unsigned char>(c)) || c == '-' || c == '/';
  });
}

std::string TablePrefix(const StagingConfig& config, const QualifiedName& table) {
  std::string base = config.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  // Run ids are the tool's own ("run-7", UUIDs): kept when already safe, for readable paths.
  bool safe_run = !config.run_id.empty() && config.run_id.front() != '.' &&
                  std::all_of(config.run_id.begin(), config.run_id.end(), [](char c) {
                    return SafeKeyChar(static_cast<unsigned char>(c)) || c == '-';
                  });
  return fmt::format("{}/{}/{}/{}/", base,
                     safe_run ? config.run_id : EncodeKeySegment(config.run_id),
                     EncodeKeySegment(table.schema), EncodeKeySegment(table.name));
}

PrefixDeleter S3PrefixDeleter(const StagingConfig& staging) {
  return [staging](const std::string& s3_prefix) -> Status {
    Result<std::unique_ptr<S3Client>> client = staging.s3();
    if (!client.ok()) return client.status();
    return S3PrefixDeleter(**client)(s3_prefix);
  };
}

PrefixDeleter S3PrefixDeleter(S3Client& s3) {
  return [&s3](const std::string& s3_prefix) -> Status {
    Result<S3Url> url = S3Url::Parse(s3_prefix);
    if (!url.ok()) return url.status();
    return s3.DeletePrefix(url->bucket, url->key);
  };
}

}  // namespace tenantshift
