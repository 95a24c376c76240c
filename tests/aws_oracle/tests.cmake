# The AWS request oracle (issue 13): tenantshift's requests against botocore's, offline.
# Debian's python3-botocore (scripts/deps.sh) on /usr/bin/python3 is the oracle; the python3
# first on PATH may be another installation without it, so the interpreter is pinned. Without
# botocore the tests still run and fail with the reason, rather than being skipped.
add_executable(tenantshift_aws_oracle_capture ${CMAKE_SOURCE_DIR}/tests/aws_oracle/capture_requests.cc
               ${CMAKE_SOURCE_DIR}/src/testing/http_server.cc)
target_link_libraries(tenantshift_aws_oracle_capture PRIVATE tenantshift_core)

find_program(TENANTSHIFT_BOTOCORE_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT TENANTSHIFT_BOTOCORE_PYTHON)
  set(TENANTSHIFT_BOTOCORE_PYTHON /usr/bin/python3)
endif()

add_test(NAME aws_oracle
         COMMAND ${TENANTSHIFT_BOTOCORE_PYTHON} ${CMAKE_SOURCE_DIR}/tests/aws_oracle/compare.py
                 requests $<TARGET_FILE:tenantshift_aws_oracle_capture>
                 ${CMAKE_SOURCE_DIR}/tests/aws_oracle/accepted_differences.json)
add_test(NAME aws_oracle_operations
         COMMAND ${TENANTSHIFT_BOTOCORE_PYTHON} ${CMAKE_SOURCE_DIR}/tests/aws_oracle/compare.py
                 operations $<TARGET_FILE:tenantshift_aws_oracle_capture> ${CMAKE_SOURCE_DIR}/src)
set_tests_properties(aws_oracle aws_oracle_operations PROPERTIES LABELS aws_oracle TIMEOUT 120)
