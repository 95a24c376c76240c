#include "testing/catalog_fixture.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "extract/extractor.h"
#include "extract/redshift/rs_data_facts.h"

namespace tenantshift {
namespace {

std::optional<std::string> AsText(const nlohmann::ordered_json& v) {
  if (v.is_null()) return std::nullopt;
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "t" : "f";
  return v.dump();
}

}  // namespace

Rows LoadFixtureRows(const std::filesystem::path& file) {
  std::ifstream in(file);
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(in);
  Rows rows;
  for (const auto& object : doc) {
    if (rows.columns.empty()) {
      for (const auto& [key, value] : object.items()) rows.columns.push_back(key);
    }
    std::vector<std::optional<std::string>> row;
    for (const auto& [key, value] : object.items()) row.push_back(AsText(value));
    rows.rows.push_back(std::move(row));
  }
  return rows;
}

Status LoadCatalogFixture(const std::string& dialect, const std::string& dir,
                          FakeSession* session) {
  std::filesystem::path folder =
      std::filesystem::path(TENANTSHIFT_SOURCE_DIR) / "tests/fixtures" / dir;
  if (!std::filesystem::is_directory(folder)) {
    return Status::InvalidArgument("no fixture folder " + folder.string());
  }
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".json") continue;  // e.g. a README
    std::string query = entry.path().stem().string() + ".sql";
    std::string_view sql = EmbeddedSql(dialect + "/" + query);
    if (sql.empty()) sql = EmbeddedSql("common/" + query);
    if (sql.empty()) return Status::InvalidArgument("fixture without a query: " + query);
    session->AddResult(std::string(sql), LoadFixtureRows(entry.path()));
  }
  return Status::Ok();
}

Result<std::unique_ptr<FakeSession>> LoadRedshiftFixture(const std::string& dir,
                                                         const std::string& host) {
  auto session = std::make_unique<FakeSession>();
  session->description = host + ":5439/dev user=admin";
  Status s = LoadCatalogFixture("redshift", dir, session.get());
  if (!s.ok()) return s;
  return session;
}

}  // namespace tenantshift

namespace tenantshift {

Status AnswerRedshiftDataFacts(const std::string& dir, const std::vector<std::string>& schemas,
                               FakeSession* session) {
  Result<std::unique_ptr<FakeSession>> reader = LoadRedshiftFixture(dir);
  if (!reader.ok()) return reader.status();
  Result<Catalog> catalog = ExtractCatalog(**reader, schemas);
  if (!catalog.ok()) return catalog.status();
  session->AddResult(RedshiftDataFactsSql(*catalog),
                     LoadFixtureRows(std::filesystem::path(TENANTSHIFT_SOURCE_DIR) /
                                     "tests/fixtures/redshift_data_facts/probe.json"));
  return Status::Ok();
}

}  // namespace tenantshift
