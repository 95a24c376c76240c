#include "aws/redshift_iam.h"

#include <fmt/format.h>

#include <algorithm>
#include <pugixml.hpp>
#include <regex>
#include <sstream>
#include <thread>

namespace tenantshift {
namespace {

constexpr const char* kInSync = "in-sync";

std::vector<std::string> Labels(std::string host) {
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!host.empty() && host.back() == '.') host.pop_back();
  std::vector<std::string> out;
  std::stringstream in(host);
  for (std::string label; std::getline(in, label, '.');) out.push_back(label);
  return out;
}

// The value after "key=" in "IamRole(applyStatus=in-sync, iamRoleArn=arn:...)".
std::string Field(const std::string& text, const std::string& key) {
  size_t start = text.find(key + "=");
  if (start == std::string::npos) return "";
  start += key.size() + 1;
  size_t end = text.find_first_of(",)", start);
  std::string v = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  v.erase(0, v.find_first_not_of(' '));
  return v;
}

bool InEffect(const WarehouseRoles& w, const std::string& arn) {
  const AssociatedRole* r = w.Find(arn);
  return r != nullptr && w.available && (r->apply_status.empty() || r->apply_status == kInSync);
}

std::string StateOf(const WarehouseRoles& w, const std::string& arn) {
  const AssociatedRole* r = w.Find(arn);
  std::string role =
      r == nullptr ? "not associated" : (r->apply_status.empty() ? "associated" : r->apply_status);
  return w.available ? role : role + ", warehouse still being modified";
}

class ServerlessIamApi final : public WarehouseIamApi {
 public:
  ServerlessIamApi(AwsServiceConnection& conn, std::string workgroup)
      : conn_(conn), workgroup_(std::move(workgroup)) {}

  Result<WarehouseRoles> Describe() override {
    Status s = FindNamespace();
    if (!s.ok()) return s;
    Result<nlohmann::json> r =
        CallJson11(conn_, "RedshiftServerless.GetNamespace", {{"namespaceName", namespace_}},
                   "GetNamespace of " + Name());
    if (!r.ok()) return r.status();
    if (!r->contains("namespace") || !(*r)["namespace"].is_object()) {
      return Status::Server("GetNamespace of " + Name() + ": the answer has no namespace");
    }
    return ParseServerlessNamespace((*r)["namespace"]);
  }

  Status AddRole(const std::string& arn, const WarehouseRoles& current) override {
    nlohmann::json roles = nlohmann::json::array();
    for (const AssociatedRole& r : current.roles) roles.push_back(r.arn);
    roles.push_back(arn);
    nlohmann::json body = {{"namespaceName", namespace_}, {"iamRoles", roles}};
    // AWS updates iamRoles together with defaultIamRoleArn: send the current default unchanged.
    if (!current.default_role.empty()) body["defaultIamRoleArn"] = current.default_role;
    return CallJson11(conn_, "RedshiftServerless.UpdateNamespace", body,
                      "UpdateNamespace of " + Name())
        .status();
  }

  std::string Name() const override {
    return namespace_.empty() ? "workgroup " + workgroup_
                              : "namespace " + namespace_ + " (workgroup " + workgroup_ + ")";
  }

 private:
  Status FindNamespace() {
    if (!namespace_.empty()) return Status::Ok();
    Result<nlohmann::json> r =
        CallJson11(conn_, "RedshiftServerless.GetWorkgroup", {{"workgroupName", workgroup_}},
                   "GetWorkgroup of " + Name());
    if (!r.ok()) return r.status();
    namespace_ = r->value("/workgroup/namespaceName"_json_pointer, "");
    if (namespace_.empty()) {
      return Status::Server("GetWorkgroup of " + Name() + ": the answer names no namespace");
    }
    return Status::Ok();
  }

  AwsServiceConnection& conn_;
  std::string workgroup_;
  std::string namespace_;  // found by the first Describe()
};

class ProvisionedIamApi final : public WarehouseIamApi {
 public:
  ProvisionedIamApi(AwsServiceConnection& conn, std::string cluster)
      : conn_(conn), cluster_(std::move(cluster)) {}

  Result<WarehouseRoles> Describe() override {
    Result<std::string> xml = CallQuery(conn_,
                                        {{"Action", "DescribeClusters"},
                                         {"Version", "2012-12-01"},
                                         {"ClusterIdentifier", cluster_}},
                                        "DescribeClusters of " + Name());
    if (!xml.ok()) return xml.status();
    return ParseDescribeClusters(*xml, cluster_);
  }

  // The list member is named IamRoleArn, not "member": the API reference lists
  // AddIamRoles.IamRoleArn.N and botocore's model serializes it so (D2;
  // https://docs.aws.amazon.com/redshift/latest/APIReference/API_ModifyClusterIamRoles.html,
  // checked by tests/aws_oracle).
  Status AddRole(const std::string& arn, const WarehouseRoles&) override {
    return CallQuery(conn_,
                     {{"Action", "ModifyClusterIamRoles"},
                      {"Version", "2012-12-01"},
                      {"ClusterIdentifier", cluster_},
                      {"AddIamRoles.IamRoleArn.1", arn}},
                     "ModifyClusterIamRoles of " + Name())
        .status();
  }

  std::string Name() const override { return "cluster " + cluster_; }

 private:
  AwsServiceConnection& conn_;
  std::string cluster_;
};

}  // namespace

RedshiftHost ParseRedshiftHost(const std::string& host) {
  std::vector<std::string> l = Labels(host);
  RedshiftHost out;
  for (size_t i = 3; i + 1 < l.size(); ++i) {
    if (l[i + 1] != "amazonaws") continue;
    if (l[i] == "redshift-serverless") {
      out.kind = RedshiftHost::Kind::kServerless;
    } else if (l[i] == "redshift") {
      out.kind = RedshiftHost::Kind::kProvisioned;
    } else {
      continue;
    }
    out.id = l[0];
    out.region = l[i - 1];
    return out;
  }
  return out;
}

bool IsIamRoleArn(const std::string& arn) {
  static const std::regex kArn(R"(arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+)");
  return std::regex_match(arn, kArn);
}

const AssociatedRole* WarehouseRoles::Find(const std::string& arn) const {
  for (const AssociatedRole& r : roles) {
    if (r.arn == arn) return &r;
  }
  return nullptr;
}

WarehouseRoles ParseServerlessNamespace(const nlohmann::json& ns) {
  WarehouseRoles w;
  w.default_role = ns.value("defaultIamRoleArn", "");
  w.available = ns.value("status", "AVAILABLE") == "AVAILABLE";
  for (const nlohmann::json& r : ns.value("iamRoles", nlohmann::json::array())) {
    if (!r.is_string()) continue;
    std::string text = r.get<std::string>();
    if (text.rfind("arn:", 0) == 0) {
      w.roles.push_back({text, ""});
    } else if (std::string arn = Field(text, "iamRoleArn"); !arn.empty()) {
      w.roles.push_back({arn, Field(text, "applyStatus")});
    }
  }
  return w;
}

Result<WarehouseRoles> ParseDescribeClusters(const std::string& xml, const std::string& cluster) {
  pugi::xml_document doc;
  const std::string what = "DescribeClusters of cluster " + cluster;
  if (!doc.load_buffer(xml.data(), xml.size())) {
    return Status::Server(what + ": the answer is not XML");
  }
  for (pugi::xpath_node c : doc.select_nodes("//*[local-name()='Cluster']")) {
    if (c.node().child_value("ClusterIdentifier") != cluster) continue;
    WarehouseRoles w;
    std::string status = c.node().child_value("ClusterStatus");
    w.available = status.empty() || status == "available";
    for (pugi::xml_node r : c.node().child("IamRoles").children("ClusterIamRole")) {
      w.roles.push_back({r.child_value("IamRoleArn"), r.child_value("ApplyStatus")});
    }
    return w;
  }
  return Status::InvalidArgument(what + ": the answer lists no such cluster");
}

std::unique_ptr<WarehouseIamApi> NewServerlessIamApi(AwsServiceConnection& conn,
                                                     std::string workgroup) {
  return std::make_unique<ServerlessIamApi>(conn, std::move(workgroup));
}

std::unique_ptr<WarehouseIamApi> NewProvisionedIamApi(AwsServiceConnection& conn,
                                                      std::string cluster) {
  return std::make_unique<ProvisionedIamApi>(conn, std::move(cluster));
}

Status AssociateRole(WarehouseIamApi& api, const std::string& arn, const RoleWaitPolicy& policy,
                     const Clock& clock, bool* changed) {
  *changed = false;
  Result<WarehouseRoles> now = api.Describe();
  if (!now.ok()) return now.status();
  if (InEffect(*now, arn)) return Status::Ok();
  if (now->Find(arn) == nullptr) {
    Status s = api.AddRole(arn, *now);
    if (!s.ok()) return s;
    *changed = true;
  }
  std::chrono::milliseconds slept{0};
  for (int attempt = 1; slept < policy.give_up_after; ++attempt) {
    std::chrono::milliseconds d =
        std::min(BackoffDelay(policy.backoff, attempt, 1.0), policy.give_up_after - slept);
    clock.Sleep(d);
    slept += d;
    now = api.Describe();
    if (!now.ok()) return now.status();
    if (InEffect(*now, arn)) return Status::Ok();
  }
  return Status::Connection(fmt::format(
      "IAM role {} on {} is not in effect after {} s (last seen: {}); check the warehouse in the "
      "AWS console, then run the command again",
      arn, api.Name(), std::chrono::duration_cast<std::chrono::seconds>(slept).count(),
      StateOf(*now, arn)));
}

Status AssociateRoleWithTarget(const std::string& target_host, const std::string& arn,
                               bool* changed) {
  if (!IsIamRoleArn(arn)) {
    return Status::InvalidArgument("--associate-iam-role: " + arn +
                                   " is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
  }
  RedshiftHost host = ParseRedshiftHost(target_host);
  if (host.kind == RedshiftHost::Kind::kUnknown) {
    return Status::InvalidArgument(
        "--associate-iam-role: the target host " + target_host +
        " is not a Redshift endpoint name (<workgroup>.<account>.<region>.redshift-serverless."
        "amazonaws.com or <cluster>.<id>.<region>.redshift.amazonaws.com); associate the role "
        "yourself and use --iam-role");
  }
  bool serverless = host.kind == RedshiftHost::Kind::kServerless;
  Result<AwsServiceConnection> conn =
      ConnectAwsService(serverless ? kRedshiftServerlessService : kRedshiftService, host.region);
  if (!conn.ok()) return conn.status();
  std::unique_ptr<WarehouseIamApi> api =
      serverless ? NewServerlessIamApi(*conn, host.id) : NewProvisionedIamApi(*conn, host.id);
  return AssociateRole(*api, arn, RoleWaitPolicy(), SystemClock(), changed);
}

}  // namespace tenantshift
