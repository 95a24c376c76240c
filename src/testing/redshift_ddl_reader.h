// RedshiftDdlReader: reads the SQL that RedshiftDdl renders and builds the catalog a Redshift
// server would then hold, so round-trip tests can compare it with the catalog it came from.
//
// It understands exactly the statement shapes of the Redshift renderer (CREATE USER / GROUP /
// ROLE, GRANT ROLE, ALTER GROUP, ALTER USER SET, CREATE SCHEMA, CREATE TABLE, ALTER TABLE ADD
// CONSTRAINT / OWNER TO, COMMENT ON, CREATE [MATERIALIZED] VIEW, CREATE FUNCTION / PROCEDURE,
// ALTER FUNCTION / PROCEDURE / SCHEMA OWNER TO, GRANT / REVOKE, ALTER DEFAULT PRIVILEGES, SET /
// RESET SESSION AUTHORIZATION) and fails on anything else, so an unexpected statement is never
// ignored. It models what Redshift records: the grantor of a GRANT is the session user when one
// is set and the object's owner otherwise (a superuser grants as the owner); identity arguments
// of a routine are the types of its non-OUT arguments.
// Test-only. Thread-safety: a plain function.
#pragma once

#include <string>

#include "model/catalog.h"
#include "util/status.h"

namespace tenantshift {

// Applies `sql` (statements separated by ';', "--" comments allowed) to `catalog`.
Status ReadRedshiftDdl(const std::string& sql, Catalog* catalog);

}  // namespace tenantshift
