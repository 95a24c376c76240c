#include "util/file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

namespace tenantshift {
namespace {

Status FileError(const std::string& path, const char* step, int err) {
  const std::string msg = path + ": " + step + ": " + std::generic_category().message(err);
  switch (err) {
    case EACCES:
    case EPERM:
    case EROFS:
      return Status::Permission(msg);
    case ENOENT:
    case ENOTDIR:
    case EISDIR:
    case ENAMETOOLONG:
      return Status::InvalidArgument(msg);
    default:
      return Status::Internal(msg);
  }
}

Status WriteAll(int fd, const std::string& text, const std::string& path) {
  for (size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FileError(path, "write", errno);
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

// Writes, fsyncs and closes `fd`; closes it even on failure.
Status WriteSyncClose(int fd, const std::string& text, const std::string& path) {
  Status s = WriteAll(fd, text, path);
  if (s.ok() && ::fsync(fd) != 0) s = FileError(path, "fsync", errno);
  if (::close(fd) != 0 && s.ok()) s = FileError(path, "close", errno);
  return s;
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

void SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

Status WriteFileAtomically(const std::string& path, const std::string& data) {
  // ".NAME.XXXXXX" beside NAME: hidden, and on the same file system for rename().
  const size_t slash = path.find_last_of('/');
  const size_t name_at = slash == std::string::npos ? 0 : slash + 1;
  std::string tmp = fmt::format("{}.{}.XXXXXX", path.substr(0, name_at), path.substr(name_at));
  const int fd = ::mkostemp(tmp.data(), O_CLOEXEC);  // mode 0600
  if (fd < 0) return FileError(path, "create temporary file", errno);
  Status s = WriteSyncClose(fd, data, path);
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) s = FileError(path, "rename", errno);
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  SyncDirectory(DirectoryOf(path));
  return Status::Ok();
}

}  // namespace tenantshift
