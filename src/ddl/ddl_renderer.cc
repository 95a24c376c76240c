#include "ddl/ddl_renderer.h"

#include "ddl/postgres/pg_ddl.h"
#include "ddl/redshift/redshift_ddl.h"

namespace tenantshift {

const DdlRenderer& RendererFor(Dialect dialect) {
  static const PostgresDdl postgres;
  static const RedshiftDdl provisioned(/*serverless=*/false);
  static const RedshiftDdl serverless(/*serverless=*/true);
  switch (dialect) {
    case Dialect::kPostgres:
      return postgres;
    case Dialect::kRedshift:
      return provisioned;
    case Dialect::kRedshiftServerless:
      return serverless;
  }
  return postgres;
}

}  // namespace tenantshift
