#include "connect/secret_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "aws/secrets_manager.h"
#include "aws/ssm.h"
#include "util/file.h"

namespace tenantshift {
namespace {

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

class FileSecretStore final : public SecretStore {
 public:
  explicit FileSecretStore(std::string path) : path_(std::move(path)) {}

  Result<Secret> Read() override {
    std::ifstream in(path_);
    if (!in) return Status::InvalidArgument("cannot read " + Name());
    std::stringstream buf;
    buf << in.rdbuf();
    return Secret(buf.str());
  }

  Status Write(const Secret& text) override {
    Status s = WriteFileAtomically(path_, text.Reveal());
    if (s.ok()) return s;
    return Status::InvalidArgument("writing " + Name() + ": " + s.message());
  }

  std::string Name() const override { return "secret file " + path_; }

 private:
  std::string path_;
};

class AwsSecretStore final : public SecretStore {
 public:
  AwsSecretStore(std::string id, AwsServiceConnection conn)
      : id_(std::move(id)), conn_(std::move(conn)), client_(conn_) {}

  Result<Secret> Read() override { return client_.GetSecretValue(id_); }
  Status Write(const Secret& text) override { return client_.PutSecretValue(id_, text); }
  std::string Name() const override { return "AWS secret " + id_; }

 private:
  std::string id_;
  AwsServiceConnection conn_;
  SecretsManagerClient client_;
};

// `aws-ssm:NAME`: an SSM parameter holding the connection as a JSON document.
class AwsSsmStore final : public SecretStore {
 public:
  AwsSsmStore(std::string name, AwsServiceConnection conn)
      : name_(std::move(name)), conn_(std::move(conn)), client_(conn_) {}

  Result<Secret> Read() override { return client_.GetParameter(name_); }
  Status Write(const Secret& text) override { return client_.PutParameter(name_, text); }
  std::string Name() const override { return "SSM parameter " + name_; }

 private:
  std::string name_;
  AwsServiceConnection conn_;
  SsmClient client_;
};

Result<std::unique_ptr<SecretStore>> OpenSsmStore(const std::string& reference) {
  std::string name = reference.substr(std::strlen(kAwsSsmPrefix));
  if (name.empty()) return Status::InvalidArgument("aws-ssm: needs a parameter name or ARN");
  // An ARN names its region (arn:aws:ssm:REGION:ACCOUNT:parameter/NAME); SecretRegion reads
  // the fourth field of any ARN.
  Result<AwsServiceConnection> conn = ConnectAwsService(kSsmService, SecretRegion(name));
  if (!conn.ok()) return conn.status().WithContext("SSM parameter " + name);
  return std::unique_ptr<SecretStore>(new AwsSsmStore(std::move(name), std::move(*conn)));
}

}  // namespace

bool IsSecretReference(const std::string& spec) {
  return StartsWith(spec, kSecretFilePrefix) || StartsWith(spec, kAwsSecretPrefix);
}

std::unique_ptr<SecretStore> NewFileSecretStore(std::string path) {
  return std::make_unique<FileSecretStore>(std::move(path));
}

Result<std::unique_ptr<SecretStore>> OpenSecretStore(const std::string& reference) {
  if (StartsWith(reference, kSecretFilePrefix)) {
    std::string path = reference.substr(std::strlen(kSecretFilePrefix));
    if (path.empty()) return Status::InvalidArgument("secret-file: needs a path");
    return NewFileSecretStore(std::move(path));
  }
  if (StartsWith(reference, kAwsSsmPrefix)) return OpenSsmStore(reference);
  if (!StartsWith(reference, kAwsSecretPrefix)) {
    return Status::InvalidArgument(
        "expected secret-file:PATH, aws-secret:ID or aws-ssm:NAME, got " + reference);
  }
  std::string id = reference.substr(std::strlen(kAwsSecretPrefix));
  if (id.empty()) return Status::InvalidArgument("aws-secret: needs a secret name or ARN");
  Result<AwsServiceConnection> conn = ConnectAwsService(kSecretsManagerService, SecretRegion(id));
  if (!conn.ok()) return conn.status().WithContext("AWS secret " + id);
  return std::unique_ptr<SecretStore>(new AwsSecretStore(std::move(id), std::move(*conn)));
}

}  // namespace tenantshift
