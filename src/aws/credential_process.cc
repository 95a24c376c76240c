#include "aws/credential_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace tenantshift {
namespace {

using Clock = std::chrono::steady_clock;

// A pipe whose ends close themselves.
struct Pipe {
  int fds[2] = {-1, -1};
  ~Pipe() {
    for (int fd : fds) {
      if (fd >= 0) close(fd);
    }
  }
  bool Open() { return pipe2(fds, O_CLOEXEC) == 0; }
  void CloseWrite() {
    close(fds[1]);
    fds[1] = -1;
  }
};

// Reads both pipes until both close or `deadline` passes; false on timeout.
bool DrainPipes(int out_fd, int err_fd, Clock::time_point deadline, std::string* out,
                std::string* err) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open = 2;
  while (open > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    int ready = poll(fds, 2, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;  // timeout, or poll failed: stop the child
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        (i == 0 ? out : err)->append(buf, static_cast<size_t>(n));
      } else {
        fds[i].fd = -1;  // poll ignores negative descriptors
        --open;
      }
    }
  }
  return true;
}

std::string LastLine(const std::string& text) {
  size_t end = text.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return "";
  size_t begin = text.rfind('\n', end);
  begin = begin == std::string::npos ? 0 : begin + 1;
  return text.substr(begin, std::min<size_t>(end - begin + 1, 300));
}

std::string ExitDescription(int wstatus) {
  if (WIFEXITED(wstatus)) return "exited with status " + std::to_string(WEXITSTATUS(wstatus));
  if (WIFSIGNALED(wstatus)) return "was killed by signal " + std::to_string(WTERMSIG(wstatus));
  return "ended abnormally";
}

bool KeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=' ||
         c == '_' || c == '-';
}

}  // namespace

Result<std::vector<std::string>> SplitCommandLine(const std::string& command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < command.size(); ++i) {
    char c = command[i];
    if (quote == '\'') {
      if (c == '\'')
        quote = 0;
      else
        word += c;
    } else if (c == '\\' && i + 1 < command.size() &&
               (quote == 0 || std::strchr("\"\\$`", command[i + 1]))) {
      word += command[++i];
      in_word = true;
    } else if (quote == '"') {
      if (c == '"')
        quote = 0;
      else
        word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote != 0) return Status::InvalidArgument("unterminated quote in credential_process");
  if (in_word) words.push_back(word);
  if (words.empty()) return Status::InvalidArgument("credential_process is empty");
  return words;
}

Result<std::string> RunProcess(const std::vector<std::string>& argv, std::chrono::seconds timeout,
                               const std::string& what) {
  Pipe out, err;
  if (argv.empty() || !out.Open() || !err.Open()) return Status::Internal(what + ": cannot start");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fds[1], 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Status::InvalidArgument(what + ": cannot run: " + std::strerror(rc));
  out.CloseWrite();
  err.CloseWrite();
  std::string stdout_text, stderr_text;
  bool finished =
      DrainPipes(out.fds[0], err.fds[0], Clock::now() + timeout, &stdout_text, &stderr_text);
  if (!finished) kill(pid, SIGKILL);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (!finished) {
    return Status::Connection(what + ": no answer within " + std::to_string(timeout.count()) +
                              " s; killed");
  }
  if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) return stdout_text;
  std::string detail = RedactKeyLike(LastLine(stderr_text));
  return Status::InvalidArgument(what + " " + ExitDescription(wstatus) +
                                 (detail.empty() ? "" : ": " + detail));
}

std::string RedactKeyLike(const std::string& text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    while (j < text.size() && KeyChar(text[j])) ++j;
    if (j - i >= 16) {
      out += "[redacted]";
    } else {
      out.append(text, i, j - i);
    }
    if (j < text.size()) out += text[j];
    i = j + 1;
  }
  return out;
}

}  // namespace tenantshift
