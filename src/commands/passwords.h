// Passwords for the roles a migration creates: random ones, and the file that is their only
// copy.
//
// With --passwords random each new login role gets its own password; tenantshift sends the
// target only its SCRAM verifier (Session::EncryptPassword) and writes the password itself to
// <work-dir>/role_passwords.jsonl, created with mode 0600 and nowhere else: not in logs, plans,
// reports or error messages. Thread-safety: functions are thread-safe.
#pragma once

#include <map>
#include <string>

#include "model/catalog.h"
#include "pg/session.h"
#include "util/secret.h"
#include "util/status.h"

namespace tenantshift {

// How roles created on the target get their password (--passwords).
enum class PasswordMode {
  kCopyHash,  // the source's stored md5/SCRAM verifier: users keep their password (default)
  kRandom,    // a different random password per login role, written to the password file
  kDisable,   // no password
};

// The name of the password file inside the work directory.
inline constexpr const char* kPasswordFileName = "role_passwords.jsonl";

// A password of 32 characters from [A-Za-z0-9] (190 bits) from the kernel's random source,
// holding at least one upper-case letter, one lower-case letter and one digit (Redshift's rule
// for passwords of 8 to 64 characters). Fails only when the kernel cannot supply randomness.
Result<Secret> RandomPassword();

// Refuses a password mode the source cannot serve: copy-hash from Redshift, which exposes no
// password hash (pg_user_info shows "********"). The error says which modes work instead.
Status CheckPasswordMode(PasswordMode mode, Dialect source);

// The value CREATE USER/ROLE ... PASSWORD gets for `password` of `role` on a target of
// `dialect`, computed here on the client so the password itself never reaches the server:
// PostgreSQL a SCRAM-SHA-256 verifier (Session::EncryptPassword), Redshift
// 'md5' || md5(password || user name), the hash form its CREATE USER documents.
Result<std::string> PasswordVerifier(Session& target, Dialect dialect, const std::string& password,
                                     const std::string& role);

// True when a created role needs a password: PostgreSQL roles that may log in, Redshift users.
bool TakesPassword(const Role& role);

// Appends one JSON line {"role": ..., "password": ...} per entry to `path`. Creates the file
// with mode 0600 (O_CREAT|O_EXCL); an existing file is used only when it is a regular file of
// ours that no one else may read, and is appended to: a rerun that creates a role again (its
// first attempt failed) adds a new line for it, and the last line for a role is the one that
// holds. Written before the roles are created, so no password is ever lost. On success the
// lines are on disk (fsync).
Status WritePasswordFile(const std::string& path, const std::map<std::string, Secret>& passwords);

}  // namespace tenantshift
