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
