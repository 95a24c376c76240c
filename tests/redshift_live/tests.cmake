# The Redshift live suite: a real migration between two Redshift endpoints through S3, run only
# when TENANTSHIFT_RS_SOURCE, TENANTSHIFT_RS_TARGET and TENANTSHIFT_RS_S3 are set (see README.md
# here). Without them the script exits 77, which CTest shows as "Skipped", never as passed.
#
#   ctest -L redshift_live --output-on-failure
set(TENANTSHIFT_RS_LIVE_DIR ${CMAKE_CURRENT_LIST_DIR})
add_test(NAME redshift_live
         COMMAND bash ${TENANTSHIFT_RS_LIVE_DIR}/live_test.sh $<TARGET_FILE:tenantshift>)
set_tests_properties(redshift_live PROPERTIES
                     SKIP_RETURN_CODE 77
                     TIMEOUT 5400
                     RUN_SERIAL TRUE
                     LABELS redshift_live)

# The mover's S3 side for real (no Redshift needed): a recorded Redshift source whose UNLOAD
# writes to a local s3rver, loaded into a real PostgreSQL cluster. Its own binary so the plain
# unit run never needs servers; tests/integration/s3_live.sh starts and stops both.
add_executable(tenantshift_rs_s3_test ${TENANTSHIFT_RS_LIVE_DIR}/redshift_s3_test.cc)
target_link_libraries(tenantshift_rs_s3_test PRIVATE tenantshift_core GTest::gtest
                      GTest::gtest_main)
target_compile_options(tenantshift_rs_s3_test PRIVATE -Wno-missing-field-initializers)
add_test(NAME integration_redshift_s3
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/integration/s3_live.sh
                 $<TARGET_FILE:tenantshift_rs_s3_test>)
set_tests_properties(integration_redshift_s3 PROPERTIES
                     TIMEOUT 900
                     RUN_SERIAL TRUE
                     LABELS integration)
