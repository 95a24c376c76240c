#include "exec/passwords.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

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

}  // namespace

Result<Secret> RandomPassword() {
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
