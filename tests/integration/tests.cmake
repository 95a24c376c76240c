# End-to-end tests against two real PostgreSQL clusters that each script starts and stops itself
# (scripts/pgcluster.sh). Included from the top-level CMakeLists.txt:
#
#   include(tests/integration/tests.cmake)
#
# Needs PostgreSQL 15 server binaries, psql, pg_dump, jq, timeout and setsid. Run with
#   ctest -R integration --output-on-failure
# RUN_SERIAL: each test starts two servers; running them side by side only slows both down.

# CMAKE_CURRENT_LIST_DIR is this file's directory, wherever it is include()d from.
set(TENANTSHIFT_IT_DIR ${CMAKE_CURRENT_LIST_DIR})

add_test(NAME integration_migrate
         COMMAND bash ${TENANTSHIFT_IT_DIR}/migrate_test.sh $<TARGET_FILE:tenantshift>)
add_test(NAME integration_errors
         COMMAND bash ${TENANTSHIFT_IT_DIR}/errors_test.sh $<TARGET_FILE:tenantshift>)
add_test(NAME integration_programmable
         COMMAND bash ${TENANTSHIFT_IT_DIR}/programmable_test.sh $<TARGET_FILE:tenantshift>)

add_test(NAME integration_principals
         COMMAND bash ${TENANTSHIFT_IT_DIR}/principals_test.sh $<TARGET_FILE:tenantshift>)

set_tests_properties(integration_migrate integration_errors integration_principals
                     integration_programmable PROPERTIES
                     TIMEOUT 900
                     RUN_SERIAL TRUE
                     LABELS integration)

add_test(NAME integration_ledger
         COMMAND bash ${TENANTSHIFT_IT_DIR}/ledger_test.sh $<TARGET_FILE:tenantshift>)
set_tests_properties(integration_ledger PROPERTIES
                     TIMEOUT 900
                     RUN_SERIAL TRUE
                     LABELS integration)

add_test(NAME integration_fault
         COMMAND bash ${TENANTSHIFT_IT_DIR}/fault_test.sh $<TARGET_FILE:tenantshift>)
set_tests_properties(integration_fault PROPERTIES
                     TIMEOUT 900
                     RUN_SERIAL TRUE
                     LABELS integration)

add_test(NAME integration_routine_privileges
         COMMAND bash ${TENANTSHIFT_IT_DIR}/routine_privileges_test.sh $<TARGET_FILE:tenantshift>)
set_tests_properties(integration_routine_privileges PROPERTIES
                     TIMEOUT 900
                     RUN_SERIAL TRUE
                     LABELS integration)

add_test(NAME integration_replace
         COMMAND bash ${TENANTSHIFT_IT_DIR}/replace_test.sh $<TARGET_FILE:tenantshift>)
set_tests_properties(integration_replace PROPERTIES
                     TIMEOUT 900
                     RUN_SERIAL TRUE
                     LABELS integration)

# S3: the S3Live tests run against a real local S3 server (s3rver, installed from the npm
# registry into the build tree on first use). They live in their own binary, outside the src/
# globs, so the plain unit test run (gtest_discover_tests) never needs a server; run it alone
# and they fail, naming the missing environment.
add_executable(tenantshift_s3_test ${TENANTSHIFT_IT_DIR}/s3_live_test.cc)
target_link_libraries(tenantshift_s3_test PRIVATE tenantshift_core GTest::gtest GTest::gtest_main)
target_compile_options(tenantshift_s3_test PRIVATE -Wno-missing-field-initializers)
add_test(NAME integration_s3
         COMMAND bash ${TENANTSHIFT_IT_DIR}/s3_live.sh $<TARGET_FILE:tenantshift_s3_test>)
add_test(NAME integration_via_s3
         COMMAND bash ${TENANTSHIFT_IT_DIR}/via_s3_test.sh $<TARGET_FILE:tenantshift>)
set_tests_properties(integration_s3 integration_via_s3 PROPERTIES
                     TIMEOUT 900
                     RUN_SERIAL TRUE
                     LABELS integration
                     ENVIRONMENT "S3RVER_PREFIX=${CMAKE_BINARY_DIR}/s3rver")

add_test(NAME integration_cutover
         COMMAND bash ${TENANTSHIFT_IT_DIR}/cutover_test.sh $<TARGET_FILE:tenantshift>)
set_tests_properties(integration_cutover PROPERTIES
                     TIMEOUT 900
                     RUN_SERIAL TRUE
                     LABELS integration)
