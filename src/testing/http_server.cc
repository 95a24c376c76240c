#include "testing/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <utility>

#include "util/text.h"

namespace tenantshift {
namespace {

const char* Reason(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

// Buffered reads from a connection that give up when the peer closes or the server stops.
class Reader {
 public:
  Reader(int fd, int wake_fd) : fd_(fd), wake_fd_(wake_fd) {}

  // A line without its CRLF; false at end of stream or stop.
  bool ReadLine(std::string* line) {
    for (;;) {
      size_t nl = buf_.find("\r\n");
      if (nl != std::string::npos) {
        *line = buf_.substr(0, nl);
        buf_.erase(0, nl + 2);
        return true;
      }
      if (!Fill()) return false;
    }
  }

  bool ReadExact(size_t n, std::string* out) {
    while (buf_.size() < n) {
      if (!Fill()) return false;
    }
    out->append(buf_, 0, n);
    buf_.erase(0, n);
    return true;
  }

 private:
  bool Fill() {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) <= 0 || (fds[1].revents & POLLIN)) return false;
    char chunk[16384];
    ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buf_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_;
  int wake_fd_;
  std::string buf_;
};

bool WriteAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

bool ReadHeaders(Reader& reader, HttpServer::Request* req) {
  std::string line;
  for (;;) {
    if (!reader.ReadLine(&line)) return false;
    if (line.empty()) return true;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    req->headers[AsciiLower(TrimWhitespace(line.substr(0, colon)))] =
        TrimWhitespace(line.substr(colon + 1));
  }
}

bool ReadChunkedBody(Reader& reader, std::string* body) {
  std::string line;
  for (;;) {
    if (!reader.ReadLine(&line)) return false;
    size_t size = std::strtoul(line.c_str(), nullptr, 16);  // stops at ';' extensions
    if (size == 0) break;
    if (!reader.ReadExact(size, body) || !reader.ReadLine(&line)) return false;
  }
  do {  // trailers, up to the empty line
    if (!reader.ReadLine(&line)) return false;
  } while (!line.empty());
  return true;
}

// Reads one request; false when the connection ended or the request was malformed.
bool ReadRequest(Reader& reader, int fd, HttpServer::Request* req) {
  std::string line;
  if (!reader.ReadLine(&line)) return false;
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(' ');
  if (sp1 == std::string::npos || sp2 == sp1) return false;
  req->method = line.substr(0, sp1);
  req->target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t q = req->target.find('?');
  req->path = req->target.substr(0, q);
  if (q != std::string::npos) req->query = req->target.substr(q + 1);
  if (!ReadHeaders(reader, req)) return false;
  if (AsciiLower(req->Header("expect")) == "100-continue" &&
      !WriteAll(fd, "HTTP/1.1 100 Continue\r\n\r\n")) {
    return false;
  }
  if (AsciiLower(req->Header("transfer-encoding")).find("chunked") != std::string::npos) {
    req->chunked = true;
    return ReadChunkedBody(reader, &req->body);
  }
  std::string length = req->Header("content-length");
  return length.empty() || reader.ReadExact(std::strtoull(length.c_str(), nullptr, 10), &req->body);
}

std::string Serialize(const HttpServer::Request& req, const HttpServer::Response& resp,
                      bool close) {
  std::string out = "HTTP/1.1 " + std::to_string(resp.status) + " " + Reason(resp.status) + "\r\n";
  bool has_length = false;
  for (const auto& [name, value] : resp.headers) {
    has_length = has_length || AsciiLower(name) == "content-length";
    out += name + ": " + value + "\r\n";
  }
  if (!has_length) out += "Content-Length: " + std::to_string(resp.body.size()) + "\r\n";
  if (close) out += "Connection: close\r\n";
  out += "\r\n";
  if (req.method != "HEAD") out += resp.body;
  return out;
}

}  // namespace

std::string HttpServer::Request::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

HttpServer::HttpServer(Handler handler) : handler_(std::move(handler)) {
  if (pipe(wake_fds_) != 0) return;
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listen_fd_, 64) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return;
  }
  port_ = ntohs(addr.sin_port);
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

HttpServer::~HttpServer() {
  if (wake_fds_[1] >= 0) {
    [[maybe_unused]] ssize_t n = write(wake_fds_[1], "x", 1);
  }
  if (accept_thread_.joinable()) accept_thread_.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    threads.swap(connection_threads_);
    for (int fd : open_fds_) shutdown(fd, SHUT_RDWR);  // unblocks a send() to a stuck client
  }
  for (std::thread& t : threads) t.join();
  for (int fd : {listen_fd_, wake_fds_[0], wake_fds_[1]}) {
    if (fd >= 0) close(fd);
  }
}

std::string HttpServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void HttpServer::SetHandler(Handler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  handler_ = std::move(handler);
}

std::vector<HttpServer::Request> HttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

size_t HttpServer::request_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_.size();
}

void HttpServer::AcceptLoop() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_fds_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) <= 0 || (fds[1].revents & POLLIN)) return;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_accepted_;
    std::lock_guard<std::mutex> lock(mu_);
    open_fds_.insert(fd);
    connection_threads_.emplace_back([this, fd] {
      Serve(fd);
      std::lock_guard<std::mutex> done(mu_);
      open_fds_.erase(fd);
      close(fd);
    });
  }
}

void HttpServer::Serve(int fd) {
  Reader reader(fd, wake_fds_[0]);
  for (;;) {
    Request req;
    if (!ReadRequest(reader, fd, &req)) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(req);
    }
    Response resp = Handle(req);
    if (resp.drop) return;
    bool close = resp.close || AsciiLower(req.Header("connection")) == "close";
    if (!WriteAll(fd, Serialize(req, resp, close)) || close) return;
  }
}

HttpServer::Response HttpServer::Handle(const Request& request) {
  Handler handler;
  {
    std::lock_guard<std::mutex> lock(mu_);
    handler = handler_;
  }
  std::lock_guard<std::mutex> lock(handler_mu_);
  if (handler) return handler(request);
  Response none;
  none.status = 404;
  return none;
}

std::string PercentDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace tenantshift
