// SecretsManagerClient: the two AWS Secrets Manager calls tenantshift makes: GetSecretValue (an
// `aws-secret:ID` connection source, the consumer secret of `cutover`) and PutSecretValue
// (`cutover` writes the new endpoint as a new version of the consumer's secret).
//
// JSON 1.1 protocol: POST / with X-Amz-Target secretsmanager.<Operation>. The secret's value is
// a Secret from the moment it is parsed; errors name the secret id and the service's error
// ("ResourceNotFoundException", "AccessDeniedException", "DecryptionFailure", ...) and never the
// value, even if a service message were to echo it.
// Thread-safety: as AwsServiceConnection (one thread at a time).
#pragma once

#include <string>

#include "aws/aws_service.h"
#include "util/secret.h"
#include "util/status.h"

namespace tenantshift {

class SecretsManagerClient {
 public:
  // REQUIRES: `conn` is a Secrets Manager connection and outlives the client.
  explicit SecretsManagerClient(AwsServiceConnection& conn) : conn_(conn) {}

  // The SecretString of the secret's current version (AWSCURRENT). A secret stored as binary
  // (SecretBinary) is refused: tenantshift reads JSON text only.
  Result<Secret> GetSecretValue(const std::string& secret_id);
  // Stores `value` as the secret's new current version. The request carries a new random
  // ClientRequestToken (a UUID, as AWS's SDKs send), so AwsHttp's retries of this one call
  // create at most one version.
  Status PutSecretValue(const std::string& secret_id, const Secret& value);

 private:
  AwsServiceConnection& conn_;
};

// The region in a secret's ARN ("arn:aws:secretsmanager:eu-west-1:123:secret:x" ->
// "eu-west-1"); empty when `secret_id` is a plain name.
std::string SecretRegion(const std::string& secret_id);

// A random version 4 UUID ("xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx", RFC 4122 section 4.4):
// PutSecretValue's idempotency token.
std::string NewClientRequestToken();

}  // namespace tenantshift
