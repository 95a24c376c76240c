#include "aws/secret_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "aws/secrets_manager.h"

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
    std::filesystem::path target(path_);
    std::string tmp = (target.parent_path() / ("." + target.filename().string() + ".XXXXXX"));
    if (target.parent_path().empty()) tmp = "." + target.filename().string() + ".XXXXXX";
    int fd = mkstemp(tmp.data());  // mode 0600
    if (fd < 0) return Error("cannot create a temporary file next to it");
    Status s = WriteAll(fd, text.Reveal());
    if (s.ok() && fsync(fd) != 0) s = Error("cannot flush it");
    if (close(fd) != 0 && s.ok()) s = Error("cannot close it");
    if (s.ok() && rename(tmp.c_str(), path_.c_str()) != 0) s = Error("cannot replace it");
    if (!s.ok()) unlink(tmp.c_str());
    return s;
  }

  std::string Name() const override { return "secret file " + path_; }

 private:
  Status Error(const std::string& what) const {
    return Status::InvalidArgument("writing " + Name() + ": " + what + ": " + strerror(errno));
  }
  Status WriteAll(int fd, const std::string& data) const {
    for (size_t done = 0; done < data.size();) {
      ssize_t n = write(fd, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Error("cannot write it");
      done += static_cast<size_t>(n);
    }
    return Status::Ok();
  }

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
  if (!StartsWith(reference, kAwsSecretPrefix)) {
    return Status::InvalidArgument("expected secret-file:PATH or aws-secret:ID, got " + reference);
  }
  std::string id = reference.substr(std::strlen(kAwsSecretPrefix));
  if (id.empty()) return Status::InvalidArgument("aws-secret: needs a secret name or ARN");
  Result<AwsServiceConnection> conn = ConnectAwsService(kSecretsManagerService, SecretRegion(id));
  if (!conn.ok()) return conn.status().WithContext("AWS secret " + id);
  return std::unique_ptr<SecretStore>(new AwsSecretStore(std::move(id), std::move(*conn)));
}

}  // namespace tenantshift
