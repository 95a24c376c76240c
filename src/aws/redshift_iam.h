// Redshift IAM role association: `migrate --associate-iam-role ARN` attaches the role UNLOAD and
// COPY use to the TARGET warehouse, and only to it (the reference system also modified the
// source's roles and never told anyone).
//
//   Serverless (host <workgroup>.<account>.<region>.redshift-serverless.amazonaws.com):
//     GetWorkgroup -> its namespace; GetNamespace -> current iamRoles; UpdateNamespace with the
//     full merged list (the call replaces the list) and the unchanged defaultIamRoleArn (AWS
//     wants both together); then GetNamespace until the namespace is AVAILABLE and the role
//     in-sync. JSON 1.1, signing name redshift-serverless.
//   Provisioned (host <cluster>.<id>.<region>.redshift.amazonaws.com):
//     DescribeClusters -> IamRoles; ModifyClusterIamRoles AddIamRoles.member.1=ARN; then
//     DescribeClusters until the role's ApplyStatus is in-sync. Query protocol, API 2012-12-01.
// A role already associated and in sync changes nothing. Waiting is a bounded poll with
// exponential backoff on the injected Clock (util/clock.h), so tests never sleep.
// Thread-safety: one association at a time per object; the free functions are pure.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "aws/aws_service.h"
#include "util/backoff.h"
#include "util/clock.h"
#include "util/status.h"

namespace tenantshift {

// What a Redshift host name says about where the warehouse lives.
struct RedshiftHost {
  enum class Kind { kUnknown, kServerless, kProvisioned };
  Kind kind = Kind::kUnknown;
  std::string id;      // workgroup name (serverless) or cluster identifier (provisioned)
  std::string region;  // "eu-west-1"
};
// kUnknown for anything that is not an AWS Redshift endpoint name (custom DNS, VPC endpoints,
// IP addresses, PostgreSQL servers).
RedshiftHost ParseRedshiftHost(const std::string& host);

// True for "arn:<partition>:iam::<12 digits>:role/<path/name>".
bool IsIamRoleArn(const std::string& arn);

// One role associated with a warehouse.
struct AssociatedRole {
  std::string arn;
  std::string apply_status;  // "in-sync", "adding", "removing"; empty when the API gives none
};

// What the warehouse says now.
struct WarehouseRoles {
  std::vector<AssociatedRole> roles;
  std::string default_role;  // serverless defaultIamRoleArn; may be empty
  bool available = true;     // the namespace/cluster accepts changes (not MODIFYING)
  const AssociatedRole* Find(const std::string& arn) const;
};

// The two calls an association needs, for one warehouse.
class WarehouseIamApi {
 public:
  virtual ~WarehouseIamApi() = default;
  virtual Result<WarehouseRoles> Describe() = 0;
  // Adds `arn` to the roles of `current` (the last Describe()).
  virtual Status AddRole(const std::string& arn, const WarehouseRoles& current) = 0;
  // "namespace acme-ns (workgroup acme)", "cluster prod-1": for messages.
  virtual std::string Name() const = 0;
};

// REQUIRES: `conn` is a Redshift Serverless / Redshift connection that outlives the object.
std::unique_ptr<WarehouseIamApi> NewServerlessIamApi(AwsServiceConnection& conn,
                                                     std::string workgroup);
std::unique_ptr<WarehouseIamApi> NewProvisionedIamApi(AwsServiceConnection& conn,
                                                      std::string cluster);

// Parsers of the services' answers (pure; exposed for tests).
// A GetNamespace "namespace" object: iamRoles elements are plain ARNs or the service's
// "IamRole(applyStatus=in-sync, iamRoleArn=arn:...)" strings.
WarehouseRoles ParseServerlessNamespace(const nlohmann::json& ns);
// A DescribeClusters answer (XML) for one cluster.
Result<WarehouseRoles> ParseDescribeClusters(const std::string& xml, const std::string& cluster);

// How long to wait for a role to take effect: polls after BackoffDelay without jitter (2 s,
// doubling, at most 30 s apart), for at most `give_up_after` of sleep in all.
struct RoleWaitPolicy {
  BackoffPolicy backoff{std::chrono::milliseconds(2000), std::chrono::milliseconds(30000)};
  std::chrono::milliseconds give_up_after{std::chrono::minutes(15)};  // total time asleep
};

// Associates `arn` with the warehouse unless it already is, then waits until the role is in
// effect. `*changed` tells whether an association was made. Fails with the service's error, or
// kConnection naming the role, warehouse and last status when the wait ran out.
Status AssociateRole(WarehouseIamApi& api, const std::string& arn, const RoleWaitPolicy& policy,
                     const Clock& clock, bool* changed);

// `--associate-iam-role`: the whole chain for the warehouse at `target_host`: parse the host,
// connect to the right service in its region, associate, wait. Fails with kInvalidArgument when
// the host is no Redshift endpoint name or `arn` is no IAM role ARN.
Status AssociateRoleWithTarget(const std::string& target_host, const std::string& arn,
                               bool* changed);

}  // namespace tenantshift
