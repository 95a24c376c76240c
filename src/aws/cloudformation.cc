#include "aws/cloudformation.h"

#include <fmt/format.h>

#include <algorithm>
#include <pugixml.hpp>

namespace tenantshift {
namespace {

// botocore cloudformation-2010-05-15 metadata.apiVersion.
constexpr const char* kVersion = "2010-05-15";

std::string StackWhat(const char* operation, const std::string& stack) {
  return fmt::format("CloudFormation {} of stack {}", operation, stack);
}

}  // namespace

bool StackParameter::masked() const {
  return !value.empty() && value.find_first_not_of('*') == std::string::npos;
}

const StackParameter* StackState::Find(const std::string& key) const {
  for (const StackParameter& p : parameters) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

Result<StackState> ParseDescribeStacks(const std::string& xml, const std::string& stack) {
  const std::string what = StackWhat("DescribeStacks", stack);
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) {
    return Status::Server(what + ": the answer is not XML");
  }
  // Lists are <member> elements (query protocol, lists not flattened in the model).
  pugi::xpath_node_set stacks =
      doc.select_nodes("//*[local-name()='Stacks']/*[local-name()='member']");
  for (pugi::xpath_node n : stacks) {
    pugi::xml_node s = n.node();
    std::string name = s.child_value("StackName");
    std::string id = s.child_value("StackId");
    if (name != stack && id != stack && stacks.size() != 1) continue;
    StackState out;
    out.status = s.child_value("StackStatus");
    out.reason = s.child_value("StackStatusReason");
    for (pugi::xml_node p : s.child("Parameters").children("member")) {
      out.parameters.push_back({p.child_value("ParameterKey"), p.child_value("ParameterValue")});
    }
    for (pugi::xml_node c : s.child("Capabilities").children("member")) {
      out.capabilities.push_back(c.child_value());
    }
    if (out.status.empty()) return Status::Server(what + ": the answer has no StackStatus");
    return out;
  }
  return Status::InvalidArgument(what + ": the answer lists no such stack");
}

StackPhase PhaseOf(const std::string& status) {
  if (status.find("FAILED") != std::string::npos || status.find("ROLLBACK") != std::string::npos) {
    return StackPhase::kFailed;
  }
  if (status.find("IN_PROGRESS") != std::string::npos) return StackPhase::kInProgress;
  return StackPhase::kComplete;
}

Result<StackState> CloudFormationClient::DescribeStack(const std::string& stack) {
  Result<std::string> xml =
      CallQuery(conn_, {{"Action", "DescribeStacks"}, {"Version", kVersion}, {"StackName", stack}},
                StackWhat("DescribeStacks", stack));
  if (!xml.ok()) return xml.status();
  return ParseDescribeStacks(*xml, stack);
}

Status CloudFormationClient::UpdateStack(const std::string& stack, const StackState& current,
                                         const std::map<std::string, std::string>& changes) {
  // Members in UpdateStackInput's order, lists as Name.member.N (botocore's query serializer).
  QueryParams q = {{"Action", "UpdateStack"},
                   {"Version", kVersion},
                   {"StackName", stack},
                   {"UsePreviousTemplate", "true"}};
  int n = 0;
  for (const StackParameter& p : current.parameters) {
    std::string prefix = fmt::format("Parameters.member.{}.", ++n);
    q.emplace_back(prefix + "ParameterKey", p.key);
    auto change = changes.find(p.key);
    if (change != changes.end()) {
      q.emplace_back(prefix + "ParameterValue", change->second);
    } else {
      q.emplace_back(prefix + "UsePreviousValue", "true");
    }
  }
  n = 0;
  for (const std::string& c : current.capabilities) {
    q.emplace_back(fmt::format("Capabilities.member.{}", ++n), c);
  }
  return CallQuery(conn_, q, StackWhat("UpdateStack", stack)).status();
}

Status WaitForStackUpdate(CloudFormationClient& client, const std::string& stack,
                          const StackWaitPolicy& policy, const Clock& clock) {
  // The first look comes after a delay too: a stack just told to update may still show the
  // status of its previous update for a moment.
  std::chrono::milliseconds slept{0};
  std::string last;
  for (int attempt = 1; slept < policy.give_up_after; ++attempt) {
    std::chrono::milliseconds d =
        std::min(BackoffDelay(policy.backoff, attempt, 1.0), policy.give_up_after - slept);
    clock.Sleep(d);
    slept += d;
    Result<StackState> now = client.DescribeStack(stack);
    if (!now.ok()) return now.status();
    last = now->status;
    if (now->status == "UPDATE_COMPLETE") return Status::Ok();
    if (PhaseOf(now->status) != StackPhase::kInProgress) {
      return Status::Server(
          fmt::format("CloudFormation stack {} did not update: it is {}{}; its parameters are as "
                      "CloudFormation left them, check the stack's events",
                      stack, now->status, now->reason.empty() ? "" : " (" + now->reason + ")"));
    }
  }
  return Status::Connection(fmt::format(
      "CloudFormation stack {} is still {} after {} s; check it in the AWS console, then run the "
      "command again",
      stack, last, std::chrono::duration_cast<std::chrono::seconds>(slept).count()));
}

}  // namespace tenantshift
