// SsmClient: the two AWS Systems Manager Parameter Store calls `cutover` makes for an
// `aws-ssm:NAME` consumer (a parameter holding the consumer's connection as a JSON document):
// GetParameter (read it, decrypted when it is a SecureString) and PutParameter (write the new
// endpoint as the parameter's next version).
//
// JSON 1.1 protocol, X-Amz-Target AmazonSSM.<Operation>, SigV4 service "ssm" (botocore's
// ssm-2014-11-06 model: targetPrefix "AmazonSSM", jsonVersion "1.1", endpointPrefix "ssm").
// Values are Secrets; errors name the parameter and the service's error, never the value.
// Thread-safety: as AwsServiceConnection (one thread at a time).
#pragma once

#include <string>

#include "aws/aws_service.h"
#include "util/secret.h"
#include "util/status.h"

namespace tenantshift {

// botocore ssm-2014-11-06: serviceId "SSM", endpointPrefix "ssm".
inline constexpr AwsServiceName kSsmService{"SSM", "ssm"};

class SsmClient {
 public:
  // REQUIRES: `conn` is an SSM connection and outlives the client.
  explicit SsmClient(AwsServiceConnection& conn) : conn_(conn) {}

  // Parameter.Value of the parameter's current version (WithDecryption: a SecureString comes
  // back in clear text, as a Secret).
  Result<Secret> GetParameter(const std::string& name);
  // Overwrites the parameter with `value` (Overwrite true). No Type is sent, so the
  // parameter keeps its own (String or SecureString): botocore's PutParameter documentation,
  // "Specifying a parameter type isn't required when updating a parameter".
  Status PutParameter(const std::string& name, const Secret& value);

 private:
  AwsServiceConnection& conn_;
};

}  // namespace tenantshift
