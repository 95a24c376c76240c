#include "aws/s3_xml.h"

#include <pugixml.hpp>
#include <sstream>

namespace tenantshift {
namespace {

// Parses `body` and returns its root element named `root`, or a kServer Status naming `call`.
// The document is the caller's: the returned node points into it.
Result<pugi::xml_node> Root(pugi::xml_document& doc, const std::string& body, const char* root,
                            const char* call) {
  pugi::xml_parse_result parsed = doc.load_buffer(body.data(), body.size());
  pugi::xml_node node = doc.child(root);
  if (!parsed || node.empty()) {
    std::string what = parsed ? std::string("no <") + root + "> element" : parsed.description();
    return Status::Server(std::string("unexpected ") + call + " answer from S3 (" + what + ")");
  }
  return node;
}

std::string Text(const pugi::xml_node& node, const char* child) {
  return node.child(child).text().as_string();
}

// A key S3 encoded for encoding-type=url: %XX is the byte XX and '+' a space, as botocore decodes
// it (botocore/handlers.py: decode_list_object_v2 uses urllib's unquote_plus).
std::string UrlDecodeKey(const std::string& s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string ToString(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw | pugi::format_no_declaration);
  return out.str();
}

}  // namespace

Result<S3ListPage> ParseListObjectsV2(const std::string& body) {
  pugi::xml_document doc;
  Result<pugi::xml_node> root = Root(doc, body, "ListBucketResult", "ListObjectsV2");
  if (!root.ok()) return root.status();
  S3ListPage page;
  // Asked with encoding-type=url, S3 says <EncodingType>url</EncodingType> and encodes each
  // <Key>; a server that ignores the parameter (s3rver) sends plain keys and no such element.
  bool url_encoded = Text(*root, "EncodingType") == "url";
  for (pugi::xml_node c : root->children("Contents")) {
    S3Object obj;
    obj.key = url_encoded ? UrlDecodeKey(Text(c, "Key")) : Text(c, "Key");
    obj.size = c.child("Size").text().as_llong();
    obj.etag = Text(c, "ETag");
    page.objects.push_back(std::move(obj));
  }
  page.truncated = root->child("IsTruncated").text().as_bool();
  page.next_token = Text(*root, "NextContinuationToken");
  if (page.truncated && page.next_token.empty()) {
    return Status::Server("unexpected ListObjectsV2 answer from S3 (truncated, no token)");
  }
  return page;
}

Result<std::string> ParseInitiateMultipartUpload(const std::string& body) {
  pugi::xml_document doc;
  Result<pugi::xml_node> root =
      Root(doc, body, "InitiateMultipartUploadResult", "CreateMultipartUpload");
  if (!root.ok()) return root.status();
  std::string id = Text(*root, "UploadId");
  if (id.empty()) return Status::Server("unexpected CreateMultipartUpload answer (no UploadId)");
  return id;
}

S3ErrorBody ParseS3Error(const std::string& body) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return {};
  pugi::xml_node err = doc.child("Error");
  return {Text(err, "Code"), Text(err, "Message")};
}

Result<std::vector<S3DeleteError>> ParseDeleteObjectsResult(const std::string& body) {
  pugi::xml_document doc;
  Result<pugi::xml_node> root = Root(doc, body, "DeleteResult", "DeleteObjects");
  if (!root.ok()) return root.status();
  std::vector<S3DeleteError> errors;
  for (pugi::xml_node e : root->children("Error")) {
    errors.push_back({Text(e, "Key"), Text(e, "Code"), Text(e, "Message")});
  }
  return errors;
}

std::string CompleteMultipartUploadXml(const std::vector<std::string>& etags) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child("CompleteMultipartUpload");
  root.append_attribute("xmlns") = "http://s3.amazonaws.com/doc/2006-03-01/";
  for (size_t i = 0; i < etags.size(); ++i) {
    pugi::xml_node part = root.append_child("Part");
    part.append_child("ETag").text().set(etags[i].c_str());
    part.append_child("PartNumber").text().set(static_cast<unsigned long long>(i + 1));
  }
  return ToString(doc);
}

std::string DeleteObjectsXml(const std::vector<std::string>& keys) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child("Delete");
  root.append_attribute("xmlns") = "http://s3.amazonaws.com/doc/2006-03-01/";
  for (const std::string& key : keys) {
    root.append_child("Object").append_child("Key").text().set(key.c_str());
  }
  root.append_child("Quiet").text().set("true");
  return ToString(doc);
}

}  // namespace tenantshift
