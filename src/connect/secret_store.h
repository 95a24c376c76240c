// SecretStore: a JSON secret that tenantshift reads (a connection source) and that `cutover`
// rewrites (the consumer's secret): a local file (`secret-file:PATH`) or an AWS Secrets Manager
// secret (`aws-secret:ID`, a name or an ARN).
//
// Values are Secrets; messages name the store ("secret file /x.json", "AWS secret prod/acme")
// and never its content. A file is rewritten atomically (temporary file in the same directory,
// fsync, rename) with mode 0600, so a reader sees the old or the new secret, never half of one.
// Thread-safety: a store is used by one thread at a time.
#pragma once

#include <memory>
#include <string>

#include "util/secret.h"
#include "util/status.h"

namespace tenantshift {

inline constexpr const char* kSecretFilePrefix = "secret-file:";
inline constexpr const char* kAwsSecretPrefix = "aws-secret:";
// `cutover --consumer-secret aws-ssm:NAME`: an SSM parameter (name or ARN) holding the JSON.
inline constexpr const char* kAwsSsmPrefix = "aws-ssm:";
// `cutover --consumer-secret cfn-stack:STACK?host=P1&port=P2&database=P3`: a CloudFormation
// stack (name or ARN) whose parameters P1, P2, P3 hold the consumer's endpoint (port and database
// optional). Read() shows them as {"host","port","dbname"}; Write() runs UpdateStack with the
// previous template, those parameters changed and all others UsePreviousValue, and waits
// until the stack is UPDATE_COMPLETE. A NoEcho parameter among them is refused.
// Parsing and the store itself: connect/cfn_stack_store.h.
inline constexpr const char* kCfnStackPrefix = "cfn-stack:";

class SecretStore {
 public:
  virtual ~SecretStore() = default;
  // The secret's current text.
  virtual Result<Secret> Read() = 0;
  // Replaces the secret's text. On failure the old text is still in place.
  virtual Status Write(const Secret& text) = 0;
  // "secret file PATH" / "AWS secret ID": for messages.
  virtual std::string Name() const = 0;
};

// True for "secret-file:..." and "aws-secret:...".
bool IsSecretReference(const std::string& spec);

// Opens the store a reference names. An `aws-secret:` store finds its region in the ARN or,
// for a plain name, in AWS_REGION / the profile. Fails with kInvalidArgument on an unknown
// prefix, an empty path or id, or no region.
Result<std::unique_ptr<SecretStore>> OpenSecretStore(const std::string& reference);

// The store of a file, for tests and for OpenSecretStore.
std::unique_ptr<SecretStore> NewFileSecretStore(std::string path);

}  // namespace tenantshift
