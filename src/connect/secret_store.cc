#include "connect/secret_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "aws/secrets_manager.h"
#include "aws/ssm.h"
#include "connect/cfn_stack_store.h"
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

// `cfn-stack:`: the stack's endpoint parameters seen as a {"host","port","dbname"} document.
class CfnStackStore final : public SecretStore {
 public:
  CfnStackStore(CfnStackRef ref, AwsServiceConnection conn, const Clock& clock,
                StackWaitPolicy policy)
      : ref_(std::move(ref)),
        conn_(std::move(conn)),
        client_(conn_),
        clock_(clock),
        policy_(policy) {}

  Result<Secret> Read() override {
    Result<StackState> stack = client_.DescribeStack(ref_.stack);
    if (!stack.ok()) return stack.status();
    nlohmann::json doc = nlohmann::json::object();
    for (const auto& [field, param] : Fields()) {
      Result<std::string> v = Value(*stack, param);
      if (!v.ok()) return v.status();
      doc[field] = *v;
    }
    return Secret(doc.dump());
  }

  Status Write(const Secret& text) override {
    nlohmann::json doc = nlohmann::json::parse(text.Reveal(), nullptr, false);
    if (!doc.is_object()) return Status::InvalidArgument(Name() + ": the new endpoint is no JSON");
    Result<StackState> stack = client_.DescribeStack(ref_.stack);
    if (!stack.ok()) return stack.status();
    if (stack->status.find("IN_PROGRESS") != std::string::npos) {
      return Status::InvalidArgument(Name() + " is " + stack->status +
                                     "; nothing was changed: run the command again once the "
                                     "stack's operation is over");
    }
    std::map<std::string, std::string> changes;
    for (const auto& [field, param] : Fields()) {
      Result<std::string> now = Value(*stack, param);  // refuses NoEcho and missing ones
      if (!now.ok()) return now.status();
      auto it = doc.find(field);
      if (it == doc.end() || !(it->is_string() || it->is_number_integer())) {
        return Status::InvalidArgument(Name() + ": the new endpoint has no " + field);
      }
      std::string want = it->is_string() ? it->get<std::string>() : it->dump();
      if (want != *now) changes[param] = want;
    }
    if (changes.empty()) return Status::Ok();
    Status s = client_.UpdateStack(ref_.stack, *stack, changes);
    if (!s.ok()) return s;
    return WaitForStackUpdate(client_, ref_.stack, policy_, clock_);
  }

  std::string Name() const override { return "CloudFormation stack " + ref_.stack; }

 private:
  std::vector<std::pair<std::string, std::string>> Fields() const {
    std::vector<std::pair<std::string, std::string>> out = {{"host", ref_.host_param}};
    if (!ref_.port_param.empty()) out.emplace_back("port", ref_.port_param);
    if (!ref_.database_param.empty()) out.emplace_back("dbname", ref_.database_param);
    return out;
  }

  // The parameter's value; never a NoEcho one's (its value is masked, and it may be a secret).
  Result<std::string> Value(const StackState& stack, const std::string& param) const {
    const StackParameter* p = stack.Find(param);
    if (p == nullptr) return Status::InvalidArgument(Name() + " has no parameter " + param);
    if (p->masked()) {
      return Status::InvalidArgument(Name() + ": parameter " + param +
                                     " is NoEcho; tenantshift does not change hidden parameters");
    }
    return p->value;
  }

  CfnStackRef ref_;
  AwsServiceConnection conn_;
  CloudFormationClient client_;
  const Clock& clock_;
  StackWaitPolicy policy_;
};

Result<std::unique_ptr<SecretStore>> OpenCfnStackStore(const std::string& reference) {
  Result<CfnStackRef> ref = ParseCfnStackRef(reference);
  if (!ref.ok()) return ref.status();
  // A stack ARN names its region (arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID).
  Result<AwsServiceConnection> conn =
      ConnectAwsService(kCloudFormationService, SecretRegion(ref->stack));
  if (!conn.ok()) return conn.status().WithContext("CloudFormation stack " + ref->stack);
  return NewCfnStackStore(std::move(*ref), std::move(*conn), SystemClock());
}

}  // namespace

Result<CfnStackRef> ParseCfnStackRef(const std::string& reference) {
  const std::string usage = " (expected cfn-stack:STACK?host=PARAM&port=PARAM&database=PARAM)";
  if (!StartsWith(reference, kCfnStackPrefix)) {
    return Status::InvalidArgument("not a cfn-stack: reference" + usage);
  }
  std::string rest = reference.substr(std::strlen(kCfnStackPrefix));
  size_t q = rest.find('?');
  CfnStackRef ref;
  ref.stack = rest.substr(0, q);
  if (ref.stack.empty()) return Status::InvalidArgument("cfn-stack: needs a stack name" + usage);
  std::string query = q == std::string::npos ? "" : rest.substr(q + 1);
  std::stringstream in(query);
  for (std::string pair; std::getline(in, pair, '&');) {
    size_t eq = pair.find('=');
    std::string key = pair.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : pair.substr(eq + 1);
    std::string* slot = key == "host"       ? &ref.host_param
                        : key == "port"     ? &ref.port_param
                        : key == "database" ? &ref.database_param
                                            : nullptr;
    if (slot == nullptr) {
      return Status::InvalidArgument("cfn-stack: unknown key '" + key + "'" + usage);
    }
    if (value.empty() || !slot->empty()) {
      return Status::InvalidArgument("cfn-stack: " + key + "= needs one parameter name" + usage);
    }
    *slot = value;
  }
  if (ref.host_param.empty()) {
    return Status::InvalidArgument("cfn-stack: host= is required" + usage);
  }
  const std::string& h = ref.host_param;
  const std::string& p = ref.port_param;
  const std::string& d = ref.database_param;
  if (h == p || h == d || (!p.empty() && p == d)) {
    return Status::InvalidArgument("cfn-stack: host, port and database name the same parameter");
  }
  return ref;
}

std::unique_ptr<SecretStore> NewCfnStackStore(CfnStackRef ref, AwsServiceConnection conn,
                                              const Clock& clock, StackWaitPolicy policy) {
  return std::make_unique<CfnStackStore>(std::move(ref), std::move(conn), clock, policy);
}

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
  if (StartsWith(reference, kCfnStackPrefix)) return OpenCfnStackStore(reference);
  if (!StartsWith(reference, kAwsSecretPrefix)) {
    return Status::InvalidArgument(
        "expected secret-file:PATH, aws-secret:ID, aws-ssm:NAME or cfn-stack:STACK?host=..., got " +
        reference);
  }
  std::string id = reference.substr(std::strlen(kAwsSecretPrefix));
  if (id.empty()) return Status::InvalidArgument("aws-secret: needs a secret name or ARN");
  Result<AwsServiceConnection> conn = ConnectAwsService(kSecretsManagerService, SecretRegion(id));
  if (!conn.ok()) return conn.status().WithContext("AWS secret " + id);
  return std::unique_ptr<SecretStore>(new AwsSecretStore(std::move(id), std::move(*conn)));
}

}  // namespace tenantshift
