#include "commands/passwords.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "dialect/dialect_ops.h"

namespace tenantshift {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr size_t kAlphabetSize = sizeof(kAlphabet) - 1;  // 62
constexpr size_t kPasswordLength = 32;

// Opens `path` for appending: creates it 0600, or accepts an existing regular file owned by us
// with no group or other permissions. Returns -1 with `error` set otherwise.
int OpenPrivate(const std::string& path, std::string* error) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0 || errno != EEXIST) {
    if (fd < 0) *error = strerror(errno);
    return fd;
  }
  fd = open(path.c_str(), O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    *error = strerror(errno);
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
      (st.st_mode & 077) != 0) {
    close(fd);
    *error = "it exists and is not a private (0600) file of ours";
    return -1;
  }
  return fd;
}

// 32 characters from the alphabet, each equally likely.
Result<Secret> RandomCandidate() {
  std::string out;
  while (out.size() < kPasswordLength) {
    unsigned char bytes[64];
    ssize_t n = getrandom(bytes, sizeof(bytes), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Internal(std::string("no randomness: ") + strerror(errno));
    for (ssize_t i = 0; i < n && out.size() < kPasswordLength; ++i) {
      // Rejection sampling: 248 = 4 * 62 keeps every character equally likely.
      if (bytes[i] < 4 * kAlphabetSize) out.push_back(kAlphabet[bytes[i] % kAlphabetSize]);
    }
    explicit_bzero(bytes, sizeof(bytes));
  }
  return Secret(std::move(out));
}

// True when `s` holds an upper-case letter, a lower-case letter and a digit.
bool HasEveryClass(const std::string& s) {
  bool upper = false, lower = false, digit = false;
  for (char c : s) {
    upper = upper || std::isupper(static_cast<unsigned char>(c));
    lower = lower || std::islower(static_cast<unsigned char>(c));
    digit = digit || std::isdigit(static_cast<unsigned char>(c));
  }
  return upper && lower && digit;
}

}  // namespace

Status CheckPasswordMode(PasswordMode mode, Dialect source) {
  if (mode != PasswordMode::kCopyHash || OpsFor(source).ShowsPasswordVerifiers()) {
    return Status::Ok();
  }
  return Status::InvalidArgument(
      "--passwords copy-hash cannot be used with a Redshift source: Redshift shows no password "
      "hash to anyone (pg_user_info prints ********). Use --passwords random (each new user gets "
      "a new password, written only to role_passwords.jsonl, mode 0600, in the work directory) "
      "or --passwords disable (users are created with PASSWORD DISABLE and log in through IAM)");
}

Result<std::string> PasswordVerifier(Session& target, Dialect dialect, const std::string& password,
                                     const std::string& role) {
  return OpsFor(dialect).PasswordVerifier(target, password, role);
}

bool TakesPassword(const Role& role) { return role.can_login || role.kind == Role::Kind::kUser; }

Result<Secret> RandomPassword() {
  for (;;) {
    Result<Secret> p = RandomCandidate();
    if (!p.ok() || HasEveryClass(p->Reveal())) return p;
  }
}

Status WritePasswordFile(const std::string& path, const std::map<std::string, Secret>& passwords) {
  std::string error;
  int fd = OpenPrivate(path, &error);
  if (fd < 0) return Status::InvalidArgument("cannot write password file " + path + ": " + error);
  std::string text;
  for (const auto& [role, password] : passwords) {
    // A role name that is not valid UTF-8 (SQL_ASCII databases) is written with U+FFFD in
    // place of the bad bytes rather than throwing.
    text += nlohmann::json{{"role", role}, {"password", password.Reveal()}}.dump(
                -1, ' ', false, nlohmann::json::error_handler_t::replace) +
            "\n";
  }
  Secret wipe(std::move(text));  // wiped when done
  const std::string& data = wipe.Reveal();
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    done += static_cast<size_t>(n);
  }
  bool ok = done == data.size() && fsync(fd) == 0;
  int saved = errno;
  close(fd);
  if (!ok) return Status::Internal("cannot write password file " + path + ": " + strerror(saved));
  return Status::Ok();
}

}  // namespace tenantshift
