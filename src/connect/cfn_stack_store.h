// The `cfn-stack:STACK?host=P1&port=P2&database=P3` consumer store (see kCfnStackPrefix in
// connect/secret_store.h): its reference syntax and the store over a CloudFormation connection.
// Thread-safety: as SecretStore.
#pragma once

#include <memory>
#include <string>

#include "aws/aws_service.h"
#include "aws/cloudformation.h"
#include "connect/secret_store.h"
#include "util/clock.h"
#include "util/status.h"

namespace tenantshift {

struct CfnStackRef {
  std::string stack;
  std::string host_param;
  std::string port_param;      // empty: the stack has no port parameter
  std::string database_param;  // empty: no database parameter
};
// Fails with kInvalidArgument naming what is wrong (no stack, no host=, an unknown key, a
// parameter named twice).
Result<CfnStackRef> ParseCfnStackRef(const std::string& reference);

// The store of a stack over `conn`, waiting on `clock`, for tests and for OpenSecretStore.
// REQUIRES: `clock` outlives the store.
std::unique_ptr<SecretStore> NewCfnStackStore(CfnStackRef ref, AwsServiceConnection conn,
                                              const Clock& clock, StackWaitPolicy policy = {});

}  // namespace tenantshift
