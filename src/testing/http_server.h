// HttpServer: a small HTTP/1.1 server on 127.0.0.1 for tests of code that talks HTTP (AWS
// services, S3 error paths, container credentials, EC2 instance metadata).
//
// A test gives it a handler that turns each request into a canned response; the server records
// every request (method, path, query, lower-cased headers, de-chunked body) so the test can
// assert on what the client really sent. The port is bound and listening before the constructor
// returns, so a test needs no waiting. Connections are kept alive unless the client or the
// response asks for Connection: close; `Response::drop` closes the connection without answering
// (a connection error as the client sees it).
//
// Why hand-written: Debian 12's libcpp-httplib-dev is not header-only (its httplib.h is the split
// declaration header over libcpp-httplib.so, which pulls brotli and OpenSSL into the test link),
// and no other Debian -dev package offers an embeddable C++ test server. Plain POSIX sockets
// need a few hundred lines and let the tests see the raw protocol (chunked bodies, Expect).
//
// Thread-safety: one thread per connection; handler calls are serialised by the server, so a
// handler may use plain state. All public methods may be called from any thread. The destructor
// stops accepting, closes every connection and joins all threads.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace tenantshift {

class HttpServer {
 public:
  struct Request {
    std::string method;
    std::string target;                          // as sent: "/path?query"
    std::string path;                            // before '?', still percent-encoded
    std::string query;                           // after '?', empty when none
    std::map<std::string, std::string> headers;  // names lower-cased; values trimmed
    std::string body;                            // Content-Length or de-chunked body
    bool chunked = false;                        // the body came with chunked encoding
    // The header's value, empty when absent. `name` is lower-case.
    std::string Header(const std::string& name) const;
  };

  struct Response {
    int status = 200;
    std::map<std::string, std::string> headers;  // Content-Length is added unless given
    std::string body;
    bool close = false;  // send Connection: close and close after the response
    bool drop = false;   // close the connection without sending anything
  };

  using Handler = std::function<Response(const Request&)>;

  // Binds an ephemeral loopback port and starts serving with `handler`.
  // On failure to bind (which does not happen on a sane machine) port() is 0.
  explicit HttpServer(Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }
  std::string url() const;  // "http://127.0.0.1:PORT"

  // Replaces the handler for the following requests.
  void SetHandler(Handler handler);
  // Every complete request received so far, in arrival order.
  std::vector<Request> requests() const;
  size_t request_count() const;
  // Connections accepted so far (keep-alive makes this smaller than request_count()).
  int connection_count() const { return connections_accepted_; }

 private:
  void AcceptLoop();
  void Serve(int fd);
  Response Handle(const Request& request);

  int listen_fd_ = -1;
  int wake_fds_[2] = {-1, -1};  // a pipe: written once by the destructor to stop every poll()
  int port_ = 0;
  std::atomic<int> connections_accepted_{0};

  mutable std::mutex mu_;
  Handler handler_;                              // guarded by mu_
  std::vector<Request> requests_;                // guarded by mu_
  std::vector<std::thread> connection_threads_;  // guarded by mu_
  std::set<int> open_fds_;  // guarded by mu_: connections being served, shut down on stop
  std::mutex handler_mu_;   // serialises handler calls
  std::thread accept_thread_;
};

// `s` with every %XX replaced by its byte (paths and query values as a client sent them).
std::string PercentDecode(const std::string& s);

}  // namespace tenantshift
