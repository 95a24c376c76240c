// Recorded catalog rows (tests/fixtures/<dir>/*.json, one file per catalog query, each an array
// of {column: value} objects) served by a FakeSession, so extractors run without a server.
// Test-only. Thread-safety: none needed (plain functions).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "pg/session.h"
#include "testing/fake_session.h"

namespace tenantshift {

// The rows of one fixture file; values keep the recorded text (true/false become t/f).
Rows LoadFixtureRows(const std::filesystem::path& file);

// Makes `session` answer the embedded query "<dialect>/<name>.sql" (or "common/<name>.sql")
// with the rows of tests/fixtures/<dir>/<name>.json, for every file there. Fails naming a file
// that matches no query.
Status LoadCatalogFixture(const std::string& dialect, const std::string& dir, FakeSession* session);

// A FakeSession answering the Redshift catalog queries from tests/fixtures/<dir>, whose
// Describe() names `host` (which DetectServer reads: a *.redshift-serverless.amazonaws.com host
// makes it Serverless). For the renderer's round-trip tests as well as the extractor's.
Result<std::unique_ptr<FakeSession>> LoadRedshiftFixture(const std::string& dir = "redshift",
                                                         const std::string& host = "");

// Makes `session` (a Redshift source answering tests/fixtures/<dir>) answer the data-facts
// probe (extract/redshift/rs_data_facts.h) for the tenant `schemas` with the rows of
// tests/fixtures/redshift_data_facts/probe.json (constructed values, see its README). The
// catalog is read from a second fixture session, so `session` records nothing.
Status AnswerRedshiftDataFacts(const std::string& dir, const std::vector<std::string>& schemas,
                               FakeSession* session);

}  // namespace tenantshift
