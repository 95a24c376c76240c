# End-to-end tests against two real PostgreSQL clusters that each script starts and stops itself
# (scripts/pgcluster.sh). Included from the top-level CMakeLists.txt, which defines
# tenantshift_script_test() and tenantshift_gtest().
#
# Needs PostgreSQL 15 server binaries, psql, pg_dump, jq, timeout and setsid. Run with
#   ctest -L integration --output-on-failure

# CMAKE_CURRENT_LIST_DIR is this file's directory, wherever it is include()d from.
set(TENANTSHIFT_IT_DIR ${CMAKE_CURRENT_LIST_DIR})

foreach(name migrate errors programmable principals ledger fault routine_privileges replace
        via_s3 cutover cutover_catchup follow follow_kill capture completeness report)
  tenantshift_script_test(integration_${name} ${TENANTSHIFT_IT_DIR}/${name}_test.sh
                          $<TARGET_FILE:tenantshift>)
endforeach()

# The HTML report's screenshot and page stay in the build tree as test artifacts.
set_tests_properties(integration_report PROPERTIES
                     ENVIRONMENT "REPORT_ARTIFACT_DIR=${CMAKE_BINARY_DIR}/artifacts/report")

# Issue 14: a tenant of thousands of tables on clusters with the default lock settings.
tenantshift_script_test(integration_scale ${TENANTSHIFT_IT_DIR}/scale_test.sh
                        $<TARGET_FILE:tenantshift>)
set_tests_properties(integration_scale PROPERTIES LABELS "integration;scale")

# S3: the S3Live tests run against a real local S3 server (s3rver, installed from the npm
# registry into the build tree on first use). They live in their own binary, outside the src/
# globs, so the plain unit test run (gtest_discover_tests) never needs a server; run it alone
# and they fail, naming the missing environment.
tenantshift_gtest(tenantshift_s3_test ${TENANTSHIFT_IT_DIR}/s3_live_test.cc)
tenantshift_script_test(integration_s3 ${TENANTSHIFT_IT_DIR}/s3_live.sh
                        $<TARGET_FILE:tenantshift_s3_test>)
set_tests_properties(integration_s3 integration_via_s3 PROPERTIES
                     ENVIRONMENT "S3RVER_PREFIX=${CMAKE_BINARY_DIR}/s3rver")
