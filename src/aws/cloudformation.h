// CloudFormationClient: the calls `cutover --consumer-secret cfn-stack:STACK?...` makes to repoint
// a stack whose parameters hold the tenant's endpoint (an ETL stack, say): DescribeStacks (the
// stack's status, parameters and capabilities) and UpdateStack with the previous template, the
// endpoint parameters set and every other parameter UsePreviousValue; then DescribeStacks again
// until the update is complete.
//
// Query protocol, Version 2010-05-15, SigV4 service "cloudformation" (botocore's
// cloudformation/2010-05-15/service-2.json: protocol "query", endpointPrefix "cloudformation",
// serviceId "CloudFormation"; DescribeStacks' answer is wrapped in DescribeStacksResult).
// NoEcho parameters come back masked as asterisks (AWS CloudFormation User Guide, "Parameters
// syntax", NoEcho: "the parameter value is masked with asterisks (*****)";
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html):
// their values are never known here, so they can be neither logged nor recorded.
// Thread-safety: as AwsServiceConnection (one thread at a time); the parser is pure.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "aws/aws_service.h"
#include "util/backoff.h"
#include "util/clock.h"
#include "util/status.h"

namespace tenantshift {

// botocore cloudformation-2010-05-15: serviceId "CloudFormation", endpointPrefix "cloudformation".
inline constexpr AwsServiceName kCloudFormationService{"CloudFormation", "cloudformation"};

struct StackParameter {
  std::string key;
  std::string value;  // "****" (masked) for a NoEcho parameter
  bool masked() const;
};

// One stack as DescribeStacks shows it (botocore shape Stack).
struct StackState {
  std::string status;  // StackStatus: "UPDATE_COMPLETE", "UPDATE_IN_PROGRESS", ...
  std::string reason;  // StackStatusReason; may be empty
  std::vector<StackParameter> parameters;
  std::vector<std::string> capabilities;  // "CAPABILITY_IAM", ...
  const StackParameter* Find(const std::string& key) const;
};

// The stack in a DescribeStacks answer (XML); kInvalidArgument when it lists none.
Result<StackState> ParseDescribeStacks(const std::string& xml, const std::string& stack);

// Where a stack status leads: still moving, done, or failed (a *_FAILED or *ROLLBACK* state).
enum class StackPhase { kInProgress, kComplete, kFailed };
StackPhase PhaseOf(const std::string& status);

class CloudFormationClient {
 public:
  // REQUIRES: `conn` is a CloudFormation connection that outlives the client.
  explicit CloudFormationClient(AwsServiceConnection& conn) : conn_(conn) {}

  Result<StackState> DescribeStack(const std::string& stack);
  // UpdateStack with UsePreviousTemplate=true, `changes` (key -> new value) as ParameterValue
  // and every other parameter of `current` as UsePreviousValue=true, and `current`'s
  // capabilities passed back (an update of a stack with IAM resources or macros is refused
  // without them: botocore UpdateStackInput.Capabilities documentation).
  // REQUIRES: every key of `changes` is a parameter of `current`.
  Status UpdateStack(const std::string& stack, const StackState& current,
                     const std::map<std::string, std::string>& changes);

 private:
  AwsServiceConnection& conn_;
};

// How long to wait for an update: polls after BackoffDelay without jitter (5 s, doubling, at most
// 30 s apart), for at most `give_up_after` of sleep in all.
struct StackWaitPolicy {
  BackoffPolicy backoff{std::chrono::milliseconds(5000), std::chrono::milliseconds(30000)};
  std::chrono::milliseconds give_up_after{std::chrono::minutes(60)};
};

// Polls DescribeStacks (after a first delay) until the stack is UPDATE_COMPLETE. Fails with kServer
// naming the stack, its status and reason when it failed or rolled back, kConnection when the wait
// ran out.
Status WaitForStackUpdate(CloudFormationClient& client, const std::string& stack,
                          const StackWaitPolicy& policy, const Clock& clock);

}  // namespace tenantshift
