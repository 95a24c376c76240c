#include "move/staging.h"

#include <fmt/format.h>

namespace tenantshift {

std::string EncodeKeySegment(const std::string& name) {
  std::string out;
  for (unsigned char c : name) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-' || c == '.';
    // "." and ".." alone would read as path navigation to some tools: encode a leading dot.
    if (plain && !(c == '.' && out.empty())) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out.empty() ? "%00" : out;
}

std::string TablePrefix(const StagingConfig& config, const QualifiedName& table) {
  std::string base = config.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return fmt::format("{}/{}/{}/{}/", base, EncodeKeySegment(config.run_id),
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
