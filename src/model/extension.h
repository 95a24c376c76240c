// Extension: an extension that tenant objects depend on (a column of type citext, a view calling
// pgcrypto's digest(), a function in plpgsql) or that is installed in a tenant schema, and what
// a server offers. Value types.
#pragma once

#include <string>

namespace tenantshift {

struct Extension {
  std::string name;
  std::string schema;  // where it is installed on the source
  // Installed in a tenant schema: its version on the source, which CREATE EXTENSION asks for.
  // Empty for one in another schema (the target's default version).
  std::string version;

  bool operator==(const Extension&) const = default;
};

// An extension a server can install (a control file exists) or has installed.
struct ServerExtension {
  bool available = false;  // listed in pg_available_extensions
  std::string schema;      // installed in this schema; empty when not installed

  bool operator==(const ServerExtension&) const = default;
};

}  // namespace tenantshift
