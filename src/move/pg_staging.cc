#include "move/pg_staging.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "ddl/postgres/pg_renderer.h"
#include "ddl/quote.h"

namespace tenantshift {

std::string PgCopyOptions(const StagedFormat& format) {
  std::string opts = format.csv ? "FORMAT csv" : "FORMAT text";
  opts += ", NULL " + QuoteLiteral(format.null_marker);
  if (format.delimiter != (format.csv ? ',' : '\t')) {
    opts += ", DELIMITER " + QuoteLiteral(std::string(1, format.delimiter));
  }
  return opts;
}

PgStageWriter::PgStageWriter(Session& source, S3Client& s3, std::string null_marker,
                             size_t part_size, int64_t max_file_bytes)
    : source_(source),
      s3_(s3),
      null_marker_(std::move(null_marker)),
      part_size_(part_size),
      max_file_bytes_(max_file_bytes) {}

Result<StagedTable> PgStageWriter::Write(const Table& table, const std::string& prefix) {
  Result<S3Url> where = S3Url::Parse(prefix);
  if (!where.ok()) return where.status();
  StagedTable staged;
  staged.prefix = prefix;
  staged.format.null_marker = null_marker_;
  std::vector<int64_t> sizes;
  std::unique_ptr<S3Upload> upload;
  std::string key;
  // Ends the current file; its URL and size join `staged`.
  auto finish_file = [&]() -> Status {
    Result<int64_t> n = upload->Finish();
    upload.reset();
    if (!n.ok()) return n.status();
    staged.files.push_back(S3Url{where->bucket, key}.ToString());
    sizes.push_back(*n);
    return Status::Ok();
  };
  auto start_file = [&]() {
    key = where->key + fmt::format("part-{:05}.csv", staged.files.size());
    upload = s3_.StartUpload(where->bucket, key, part_size_);
  };
  int64_t file_bytes = 0;
  start_file();
  std::string sql = fmt::format("COPY {}{} TO STDOUT WITH ({})", QuoteName(table.name),
                                pgddl::CopyColumns(table), PgCopyOptions(staged.format));
  Result<int64_t> rows = source_.CopyOut(sql, [&](const char* data, size_t len) -> Status {
    if (file_bytes >= max_file_bytes_) {  // each chunk is one row: a clean place to split
      Status s = finish_file();
      if (!s.ok()) return s;
      start_file();
      file_bytes = 0;
    }
    file_bytes += static_cast<int64_t>(len);
    staged.bytes += static_cast<int64_t>(len);
    return upload->Write(data, len);
  });
  if (!rows.ok()) return rows.status();  // the upload's destructor aborts it
  Status s = finish_file();
  if (!s.ok()) return s;
  staged.rows = *rows;
  s = WriteManifest(staged, sizes);
  if (!s.ok()) return s;
  return staged;
}

Status PgStageWriter::WriteManifest(StagedTable& staged, const std::vector<int64_t>& sizes) {
  nlohmann::json entries = nlohmann::json::array();
  for (size_t i = 0; i < staged.files.size(); ++i) {
    entries.push_back(
        {{"url", staged.files[i]}, {"mandatory", true}, {"meta", {{"content_length", sizes[i]}}}});
  }
  Result<S3Url> where = S3Url::Parse(staged.prefix + "manifest");
  if (!where.ok()) return where.status();
  Status s = s3_.Put(where->bucket, where->key, nlohmann::json{{"entries", entries}}.dump());
  if (s.ok()) staged.manifest = where->ToString();
  return s;
}

PgStageReader::PgStageReader(Session& target, S3Client& s3) : target_(target), s3_(s3) {}

Result<int64_t> PgStageReader::Read(const Table& table, const StagedTable& staged) {
  std::string sql = fmt::format("COPY {}{} FROM STDIN WITH ({})", QuoteName(table.name),
                                pgddl::CopyColumns(table), PgCopyOptions(staged.format));
  Status s = target_.BeginCopyIn(sql);
  if (!s.ok()) return s;
  bool target_failed = false;
  for (const std::string& file : staged.files) {
    Result<S3Url> where = S3Url::Parse(file);
    s = where.status();
    if (s.ok()) {
      s = s3_.Get(where->bucket, where->key, [&](const char* data, size_t len) {
        Status put = target_.PutCopyData(data, len);
        target_failed = !put.ok();
        return put;
      });
    }
    if (!s.ok()) break;
  }
  if (!s.ok()) {
    target_.EndCopyIn(target_failed ? "load aborted" : "reading the staged files failed");
    return s;
  }
  return target_.EndCopyIn("");
}

}  // namespace tenantshift
