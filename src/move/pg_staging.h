// The PostgreSQL halves of a staged move (see exec/staging.h):
//   PgStageWriter: COPY ... TO STDOUT (CSV) streamed straight into S3 multipart uploads;
//   PgStageReader: S3 GETs streamed straight into COPY ... FROM STDIN on the target.
// Nothing is parsed and memory stays at one upload part per writer, whatever the table size.
//
// The files are CSV with the writer's NULL marker: PostgreSQL -> PostgreSQL uses '\N', which
// PostgreSQL quotes when a real value reads so ("a non-NULL value matching the NULL parameter
// string is quoted", https://www.postgresql.org/docs/current/sql-copy.html). PostgreSQL ->
// Redshift uses a per-table random marker instead (R3): Redshift's COPY documentation does not
// say that a quoted field equal to NULL AS is a value, so the marker must equal no value at all.
// The writer also leaves a Redshift COPY manifest listing its files.
// Thread-safety: one writer/reader per worker, like the Session and S3Client it borrows.
#pragma once

#include <cstdint>
#include <string>

#include "aws/s3.h"
#include "move/staging.h"
#include "pg/session.h"

namespace tenantshift {

// COPY options for `format`: "FORMAT csv, NULL '\N'" (DELIMITER when not a comma).
std::string PgCopyOptions(const StagedFormat& format);

class PgStageWriter final : public StageWriter {
 public:
  // A new file is started (at a row boundary) once one reaches `max_file_bytes`, so a file
  // stays well under S3's 10,000-part limit and Redshift can load several in parallel.
  // REQUIRES: `source` and `s3` outlive the writer.
  // `null_marker`: the CSV NULL string written (StagedFormat::null_marker).
  PgStageWriter(Session& source, S3Client& s3, std::string null_marker,
                size_t part_size = 16u << 20, int64_t max_file_bytes = int64_t{4} << 30);
  Result<StagedTable> Write(const Table& table, const std::string& prefix) override;

 private:
  // Writes the Redshift manifest of `staged` (its files and their sizes) to staged.manifest.
  Status WriteManifest(StagedTable& staged, const std::vector<int64_t>& sizes);

  Session& source_;
  S3Client& s3_;
  std::string null_marker_;
  size_t part_size_;
  int64_t max_file_bytes_;
};

class PgStageReader final : public StageReader {
 public:
  // REQUIRES: `target` (with a transaction open) and `s3` outlive the reader.
  PgStageReader(Session& target, S3Client& s3);
  Result<int64_t> Read(const Table& table, const StagedTable& staged) override;

 private:
  Session& target_;
  S3Client& s3_;
};

}  // namespace tenantshift
