// Staging: how a table's rows travel through S3 instead of a direct COPY pipe.
//
// Redshift cannot COPY FROM STDIN, so every move that touches Redshift goes through S3, and any
// move may (--via s3://bucket/prefix). A move is two halves that compose freely:
//   - a StageWriter puts one table's rows under TablePrefix() (PostgreSQL: COPY TO STDOUT into a
//     multipart upload; Redshift: UNLOAD ... MANIFEST VERBOSE), and says what it wrote;
//   - a StageReader loads them into the target inside the caller's transaction (PostgreSQL: GET
//     into COPY FROM STDIN; Redshift: COPY ... FROM the manifest).
// Both halves use one file format per table (StagedFormat) so PostgreSQL -> Redshift and
// Redshift -> PostgreSQL work with the same code as the like-for-like paths.
// Thread-safety: StagingConfig is read-only once the run starts; writers and readers are per
// worker.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "aws/s3.h"
#include "model/object_name.h"
#include "model/table.h"
#include "util/status.h"

namespace tenantshift {

struct StagingConfig {
  std::string url;         // "s3://bucket/prefix" from --via (or the Redshift default); empty: none
  std::string run_id;      // the ledger's run id: staged paths never collide across runs
  std::string kms_key_id;  // --kms-key-id: UNLOAD ... ENCRYPTED KMS_KEY_ID, S3 SSE-KMS uploads
  std::string iam_role;    // --iam-role ARN, or "default" (IAM_ROLE default) for UNLOAD/COPY
  bool keep_files = false;  // keep staged files after a successful load (always kept on failure)
  // A new S3 client for one worker (its own AwsHttp); unset when S3 is not configured.
  std::function<Result<std::unique_ptr<S3Client>>()> s3;

  bool enabled() const { return !url.empty(); }
};

// Deletes every object under `s3_prefix` ("s3://bucket/key/"); OK when there is none.
using PrefixDeleter = std::function<Status(const std::string& s3_prefix)>;

// Deletes a prefix with a new client from staging.s3. REQUIRES: staging.s3 is set.
PrefixDeleter S3PrefixDeleter(const StagingConfig& staging);
// Deletes a prefix with `s3`. REQUIRES: `s3` outlives the deleter.
PrefixDeleter S3PrefixDeleter(S3Client& s3);

// "s3://bucket/prefix/<run-id>/<schema>/<table>/", schema and table names made one safe key
// segment each by EncodeKeySegment, so two tables never share a prefix (the run id too, unless
// it is [A-Za-z0-9_.-] already, as the tool's own ids are).
std::string TablePrefix(const StagingConfig& config, const QualifiedName& table);
// One key segment for a name, made only of [A-Za-z0-9_.-] (R4: no Redshift document says
// whether UNLOAD and COPY decode %XX in s3:// URLs, so no '%' may reach them):
//   - a name of [A-Za-z0-9_.] only, not starting with '.', stays as it is ("orders");
//   - any other name: its characters with '_' for every other byte (and a leading '.'), then '-'
//     and the first 32 hex digits of the SHA-256 of the name ("a/b" -> "a_b-c14cddc0...").
// Plain names hold no '-', so a plain name never equals a hashed one, and two hashed names
// meet only on a 128-bit hash collision; the readable part keeps the key recognisable.
std::string EncodeKeySegment(const std::string& name);
// True when `s3_url` ("s3://bucket/key") uses only [A-Za-z0-9_.-/] after "s3://": characters
// UNLOAD and COPY read literally.
bool IsRedshiftSafeUrl(const std::string& s3_url);

// The file format of one staged table. Chosen by the writer from the column types (see the
// exact-copy checklist in redshift-catalog.md §17); the reader loads with the same options.
struct StagedFormat {
  bool csv = true;                  // CSV with quoting; false: text with backslash escapes
  std::string null_marker = "\\N";  // NULL AS this (never equal to a real value)
  char delimiter = ',';
};

// What a writer left under the table's prefix.
struct StagedTable {
  std::string prefix;              // s3://... ending in "/"
  std::string manifest;            // s3://.../manifest (Redshift COPY reads this); may be empty
  std::vector<std::string> files;  // full s3:// URLs of the data files, in order
  int64_t rows = -1;               // rows written (pg_last_unload_count / COPY's count)
  int64_t bytes = 0;
  StagedFormat format;
};

// One half of a staged move: puts a table's rows under a prefix.
class StageWriter {
 public:
  virtual ~StageWriter() = default;
  // Writes every row of `table` under `prefix` ("s3://.../", from TablePrefix) and returns
  // what it wrote, with `rows` counted (the loader's count is checked against it). On failure
  // files already written there are left for the caller.
  virtual Result<StagedTable> Write(const Table& table, const std::string& prefix) = 0;
};

// The other half: loads staged rows into the target, inside the transaction the caller has
// open there (so the load commits or rolls back with the caller's DELETE/TRUNCATE).
class StageReader {
 public:
  virtual ~StageReader() = default;
  // Loads `staged` into `table`; returns the rows the target stored.
  virtual Result<int64_t> Read(const Table& table, const StagedTable& staged) = 0;
};

}  // namespace tenantshift
