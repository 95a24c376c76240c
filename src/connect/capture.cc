#include "connect/capture.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "util/file.h"

namespace tenantshift {
namespace {

using Json = nlohmann::json;

constexpr const char* kFormat = "tenantshift-capture-1";
constexpr const char* kRedacted = "********";

bool IsPasswordColumn(const std::string& name) {
  static const std::set<std::string> kNames{"verifier", "rolpassword", "passwd", "password"};
  return kNames.count(name) > 0;
}

Rows Redacted(Rows rows) {
  for (size_t c = 0; c < rows.columns.size(); ++c) {
    if (!IsPasswordColumn(rows.columns[c])) continue;
    for (auto& row : rows.rows) {
      if (c < row.size() && row[c].has_value()) row[c] = kRedacted;
    }
  }
  return rows;
}

Status StatusFrom(int code, const std::string& message) {
  switch (static_cast<Status::Code>(code)) {
    case Status::Code::kOk:
      return Status::Ok();
    case Status::Code::kInvalidArgument:
      return Status::InvalidArgument(message);
    case Status::Code::kConnection:
      return Status::Connection(message);
    case Status::Code::kRetryable:
      return Status::Retryable(message);
    case Status::Code::kPermission:
      return Status::Permission(message);
    case Status::Code::kAlreadyExists:
      return Status::AlreadyExists(message);
    case Status::Code::kMismatch:
      return Status::Mismatch(message);
    case Status::Code::kInternal:
      return Status::Internal(message);
    case Status::Code::kCancelled:
      return Status::Cancelled(message);
    case Status::Code::kServer:
      break;
  }
  return Status::Server(message);
}

Json ToJson(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }

std::optional<std::string> OptionalFrom(const Json& j) {
  if (j.is_null()) return std::nullopt;
  return j.get<std::string>();
}

Json QueryToJson(const CapturedQuery& q) {
  Json params = Json::array();
  for (const auto& p : q.params) params.push_back(ToJson(p));
  Json j{{"sql", q.sql}, {"params", params}};
  if (q.is_execute) j["execute"] = true;
  if (!q.status.ok()) {
    j["error"] = {{"code", static_cast<int>(q.status.code())},
                  {"message", q.status.message()},
                  {"sqlstate", q.status.sqlstate()}};
    return j;
  }
  if (q.is_execute) return j;
  Json rows = Json::array();
  for (const auto& row : q.rows.rows) {
    Json r = Json::array();
    for (const auto& v : row) r.push_back(ToJson(v));
    rows.push_back(r);
  }
  j["columns"] = q.rows.columns;
  j["rows"] = rows;
  return j;
}

CapturedQuery QueryFromJson(const Json& j) {
  CapturedQuery q;
  q.sql = j.at("sql").get<std::string>();
  for (const Json& p : j.at("params")) q.params.push_back(OptionalFrom(p));
  q.is_execute = j.value("execute", false);
  if (j.contains("error")) {
    const Json& e = j["error"];
    q.status = StatusFrom(e.at("code").get<int>(), e.at("message").get<std::string>());
    q.status.set_sqlstate(e.value("sqlstate", ""));
    return q;
  }
  if (q.is_execute) return q;
  q.rows.columns = j.at("columns").get<std::vector<std::string>>();
  for (const Json& r : j.at("rows")) {
    std::vector<std::optional<std::string>> row;
    for (const Json& v : r) row.push_back(OptionalFrom(v));
    q.rows.rows.push_back(std::move(row));
  }
  return q;
}

// The names of a single JSON-array parameter, or nullopt.
std::optional<std::set<std::string>> NameList(const std::vector<std::optional<std::string>>& p) {
  if (p.size() != 1 || !p[0]) return std::nullopt;
  Json j = Json::parse(*p[0], nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return std::nullopt;
  std::set<std::string> names;
  for (const Json& n : j) {
    if (!n.is_string()) return std::nullopt;
    names.insert(n.get<std::string>());
  }
  return names;
}

}  // namespace

std::optional<std::string> CapturePath(const std::string& connection_argument) {
  const std::string prefix = "capture:";
  if (connection_argument.rfind(prefix, 0) != 0) return std::nullopt;
  return connection_argument.substr(prefix.size());
}

Status WriteCapture(const std::string& path, const Capture& c) {
  Json queries = Json::array();
  for (const CapturedQuery& q : c.queries) queries.push_back(QueryToJson(q));
  Json doc{{"format", kFormat},
           {"tenantshift_version", c.tenantshift_version},
           {"source", c.source},
           {"dialect", c.dialect},
           {"server_version_num", c.server_version_num},
           {"schemas", c.schemas},
           {"queries", queries}};
  return WriteFileAtomically(path, doc.dump(1, ' ', false, Json::error_handler_t::replace) + "\n");
}

Result<Capture> ReadCapture(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::InvalidArgument("cannot read capture file " + path);
  std::stringstream text;
  text << in.rdbuf();
  Json doc = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || doc.value("format", "") != kFormat) {
    return Status::InvalidArgument(path + " is not a tenantshift capture (" + kFormat + ")");
  }
  try {
    Capture c;
    c.tenantshift_version = doc.at("tenantshift_version").get<std::string>();
    c.source = doc.at("source").get<std::string>();
    c.dialect = doc.at("dialect").get<std::string>();
    c.server_version_num = doc.at("server_version_num").get<int>();
    c.schemas = doc.at("schemas").get<std::vector<std::string>>();
    for (const Json& q : doc.at("queries")) c.queries.push_back(QueryFromJson(q));
    return c;
  } catch (const Json::exception& e) {
    return Status::InvalidArgument("capture file " + path + " is malformed: " + e.what());
  }
}

Status RecordingSession::Execute(const std::string& sql) {
  Status s = target_.Execute(sql);
  recorded_.push_back({sql, {}, /*is_execute=*/true, s, {}});
  return s;
}

Result<Rows> RecordingSession::Query(const std::string& sql,
                                     const std::vector<std::optional<std::string>>& params) {
  Result<Rows> r = target_.Query(sql, params);
  recorded_.push_back({sql, params, false, r.status(), r.ok() ? Redacted(*r) : Rows{}});
  return r;
}

Status CatalogOnlySession::PipeCopy(const std::string&, Session&, const std::string&,
                                    const std::function<void(size_t)>&) {
  return Refusal("table data");
}
Result<int64_t> CatalogOnlySession::CopyOut(const std::string&,
                                            const std::function<Status(const char*, size_t)>&) {
  return Refusal("table data");
}
Status CatalogOnlySession::BeginCopyIn(const std::string&) { return Refusal("table data"); }
Status CatalogOnlySession::PutCopyData(const char*, size_t) { return Refusal("table data"); }
Result<int64_t> CatalogOnlySession::EndCopyIn(const std::string&) { return Refusal("table data"); }
Result<std::string> CatalogOnlySession::EncryptPassword(const std::string&, const std::string&) {
  return Refusal("a password verifier");
}

Status RecordingSession::Refusal(const std::string& what) const {
  return Status::Internal("a capture records catalog rows only, never " + what);
}

ReplaySession::ReplaySession(Capture capture, std::string path)
    : capture_(std::move(capture)), path_(std::move(path)) {}

Status ReplaySession::Refusal(const std::string& what) const {
  return Status::InvalidArgument("the capture " + path_ + " can only answer catalog queries; " +
                                 what + " needs the live source");
}

Status ReplaySession::Execute(const std::string& sql) {
  for (const CapturedQuery& q : capture_.queries) {
    if (q.is_execute && q.sql == sql) return q.status;
  }
  return Refusal("running \"" + sql.substr(0, 60) + "\"");
}

Result<Rows> ReplaySession::Query(const std::string& sql,
                                  const std::vector<std::optional<std::string>>& params) {
  for (const CapturedQuery& q : capture_.queries) {
    if (q.is_execute || q.sql != sql || q.params != params) continue;
    if (!q.status.ok()) return q.status;
    return q.rows;
  }
  std::optional<std::set<std::string>> asked = NameList(params);
  for (const CapturedQuery& q : capture_.queries) {
    if (!asked || q.is_execute || q.sql != sql || !q.status.ok()) continue;
    std::optional<std::set<std::string>> recorded = NameList(q.params);
    if (!recorded || q.rows.columns.empty()) continue;
    bool covered = std::includes(recorded->begin(), recorded->end(), asked->begin(), asked->end());
    auto name = std::find(q.rows.columns.begin(), q.rows.columns.end(), "name");
    if (!covered || name == q.rows.columns.end()) continue;
    size_t col = static_cast<size_t>(name - q.rows.columns.begin());
    Rows out;
    out.columns = q.rows.columns;
    for (const auto& row : q.rows.rows) {
      if (col < row.size() && row[col] && asked->count(*row[col])) out.rows.push_back(row);
    }
    return out;
  }
  return Status::InvalidArgument("the capture " + path_ +
                                 " holds no answer to this catalog query (captured by another "
                                 "tenantshift version or for other schemas?): " +
                                 sql.substr(0, 80));
}

// The captured source's own description: dialect detection reads the endpoint host from it
// exactly as it did when the capture was taken.
std::string ReplaySession::Describe() const { return capture_.source; }

}  // namespace tenantshift
