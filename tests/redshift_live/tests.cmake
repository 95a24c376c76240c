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
tenantshift_gtest(tenantshift_rs_s3_test ${TENANTSHIFT_RS_LIVE_DIR}/redshift_s3_test.cc)
tenantshift_script_test(integration_redshift_s3 ${CMAKE_SOURCE_DIR}/tests/integration/s3_live.sh
                        $<TARGET_FILE:tenantshift_rs_s3_test>)
