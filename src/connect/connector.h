// Connector: how every subcommand opens a session of role "source" or "target". Production
// uses libpq (LibpqConnector); tests pass their own (recorded catalogs stand in for Redshift).
// Thread-safety: a Connector may be called from several workers at once.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "pg/conn_spec.h"
#include "pg/session.h"
#include "util/status.h"

namespace tenantshift {

using Connector =
    std::function<Result<std::unique_ptr<Session>>(const ConnSpec&, const std::string& role)>;

// Connects with libpq (PgSession::Connect).
Connector LibpqConnector();

}  // namespace tenantshift
