#include "testing/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tenantshift {
namespace {

// A raw client, so the test controls the exact bytes (chunking, Expect, Connection).
class RawClient {
 public:
  explicit RawClient(int port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawClient() { close(fd_); }
  bool connected() const { return connected_; }
  void Send(const std::string& bytes) {
    ASSERT_EQ(send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }
  // Reads until `marker` has arrived (or the server closed); returns everything read so far.
  std::string ReadUntil(const std::string& marker) {
    while (buf_.find(marker) == std::string::npos) {
      char chunk[4096];
      ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) break;
      buf_.append(chunk, static_cast<size_t>(n));
    }
    return buf_;
  }
  bool ClosedByPeer() {
    char c;
    return recv(fd_, &c, 1, 0) == 0;
  }

 private:
  int fd_;
  bool connected_ = false;
  std::string buf_;
};

TEST(HttpServerTest, DecodesChunkedBodiesKeepsAliveAndHonoursClose) {
  HttpServer server([](const HttpServer::Request& r) {
    HttpServer::Response resp;
    resp.body = "got:" + r.body + ";";
    resp.headers["X-Echo-Method"] = r.method;
    return resp;
  });
  ASSERT_NE(server.port(), 0);
  RawClient client(server.port());
  ASSERT_TRUE(client.connected());
  client.Send(
      "POST /a%20b?x=1&y=2 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
      "X-Mixed-Case:  Value \r\n\r\n4;ext=1\r\nabcd\r\n3\r\nefg\r\n0\r\nTrailer: t\r\n\r\n");
  EXPECT_NE(client.ReadUntil("got:abcdefg;").find("HTTP/1.1 200 OK"), std::string::npos);
  client.Send(
      "PUT /second HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n"
      "Connection: close\r\n\r\n");
  EXPECT_NE(client.ReadUntil("100 Continue\r\n\r\n").find("HTTP/1.1 100 Continue"),
            std::string::npos);
  client.Send("hi");
  std::string all = client.ReadUntil("got:hi;");
  EXPECT_NE(all.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(client.ClosedByPeer());

  std::vector<HttpServer::Request> reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].path, "/a%20b");
  EXPECT_EQ(reqs[0].query, "x=1&y=2");
  EXPECT_TRUE(reqs[0].chunked);
  EXPECT_EQ(reqs[0].body, "abcdefg");
  EXPECT_EQ(reqs[0].Header("x-mixed-case"), "Value");
  EXPECT_EQ(reqs[1].body, "hi");
  EXPECT_EQ(server.connection_count(), 1);
}

TEST(HttpServerTest, StopsWithAnIdleClientStillConnected) {
  auto server = std::make_unique<HttpServer>(
      [](const HttpServer::Request&) { return HttpServer::Response{}; });
  RawClient idle(server->port());
  ASSERT_TRUE(idle.connected());
  idle.Send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  idle.ReadUntil("\r\n\r\n");
  server.reset();  // must not hang on the kept-alive connection
  EXPECT_TRUE(idle.ClosedByPeer());
}

}  // namespace
}  // namespace tenantshift
