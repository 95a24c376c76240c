#include "report/format.h"

#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <iterator>

namespace tenantshift {
namespace {

// Decodes the code point starting at s[pos]. Returns its length in bytes, or 0 when the bytes
// there are not valid UTF-8 (overlong, surrogate, out of range or truncated).
size_t DecodeUtf8(std::string_view s, size_t pos, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  const size_t len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
  if (len == 0 || pos + len > s.size()) return 0;
  char32_t value = b0 & (0x7F >> len);
  for (size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b & 0xC0) != 0x80) return 0;
    value = (value << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kMinForLength[len] || value > 0x10FFFF) return 0;
  if (value >= 0xD800 && value <= 0xDFFF) return 0;
  *cp = value;
  return len;
}

bool IsWide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
         (cp >= 0x20000 && cp <= 0x3FFFD);
}

// Columns of the code point at s[pos] and its length in bytes (invalid bytes: 1 column, 1 byte).
int CodePointWidth(std::string_view s, size_t pos, size_t* len) {
  char32_t cp = 0;
  *len = DecodeUtf8(s, pos, &cp);
  if (*len == 0) {
    *len = 1;
    return 1;
  }
  return IsWide(cp) ? 2 : 1;
}

std::string SanitizeCodePoint(char32_t cp, std::string_view bytes) {
  if (cp == '\n' || cp == '\r' || cp == '\t') return " ";
  if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return "?";
  return std::string(bytes);
}

}  // namespace

std::string StringPrintf(const char* format, ...) {
  va_list args;
  va_start(args, format);
  va_list copy;
  va_copy(copy, args);
  const int n = std::vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  std::string out(n > 0 ? static_cast<size_t>(n) : 0, '\0');
  if (n > 0) std::vsnprintf(out.data(), out.size() + 1, format, args);
  va_end(args);
  return out;
}

std::string StrCat(std::initializer_list<std::string_view> parts) {
  size_t size = 0;
  for (std::string_view part : parts) size += part.size();
  std::string out;
  out.reserve(size);
  for (std::string_view part : parts) out += part;
  return out;
}

std::string HumanBytes(int64_t bytes) {
  if (bytes < 0) return "?";
  if (bytes < 1024) return StringPrintf("%lld B", static_cast<long long>(bytes));
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  // From 1023.95 up "%.1f" would print "1024.0", so move up a unit.
  while (value >= 1023.95 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  return StringPrintf("%.1f %s", value, kUnits[unit]);
}

std::string HumanCount(double count) {
  if (!std::isfinite(count) || count < 0) return "?";
  if (count < 1000) return StringPrintf("%.0f", std::floor(count));
  static constexpr const char* kSuffixes[] = {"k", "M", "G", "T", "P", "E"};
  double value = count / 1000;
  size_t suffix = 0;
  // From 999.95 up "%.1f" would print "1000.0", so move up a suffix.
  while (value >= 999.95 && suffix + 1 < std::size(kSuffixes)) {
    value /= 1000;
    ++suffix;
  }
  return StringPrintf("%.1f%s", value, kSuffixes[suffix]);
}

std::string WithThousands(int64_t n) {
  const std::string digits = std::to_string(n);
  const size_t first = n < 0 ? 1 : 0;  // skip the sign
  std::string out = digits.substr(0, first);
  for (size_t i = first; i < digits.size(); ++i) {
    if (i > first && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string HumanDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  if (seconds < 9.95) return StringPrintf("%.1fs", seconds);
  const long long s = std::llround(seconds);
  if (s < 60) return StringPrintf("%llds", s);
  if (s < 3600) return StringPrintf("%lldm%02llds", s / 60, s % 60);
  if (s < 86400) return StringPrintf("%lldh%02lldm", s / 3600, s % 3600 / 60);
  return StringPrintf("%lldd%02lldh", s / 86400, s % 86400 / 3600);
}

std::string FormatRate(double per_second, std::string_view unit) {
  std::string out = HumanCount(per_second);
  out += ' ';
  out += unit;
  out += "/s";
  return out;
}

std::string FormatByteRate(double bytes_per_second) {
  if (!std::isfinite(bytes_per_second) || bytes_per_second < 0) return "? B/s";
  return HumanBytes(static_cast<int64_t>(bytes_per_second)) + "/s";
}

std::string FormatIso8601Utc(WallTime t) {
  const time_t secs = std::chrono::system_clock::to_time_t(t);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string SanitizeLine(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t pos = 0; pos < s.size();) {
    char32_t cp = 0;
    const size_t len = DecodeUtf8(s, pos, &cp);
    out += len == 0 ? "?" : SanitizeCodePoint(cp, s.substr(pos, len));
    pos += len == 0 ? 1 : len;
  }
  return out;
}

int DisplayWidth(std::string_view s) {
  int width = 0;
  for (size_t pos = 0, len = 0; pos < s.size(); pos += len) width += CodePointWidth(s, pos, &len);
  return width;
}

std::string FitWidth(std::string_view s, int width) {
  if (DisplayWidth(s) <= width) return std::string(s);
  if (width <= 0) return "";
  size_t end = 0;
  int used = 0;
  while (end < s.size()) {
    size_t len = 0;
    const int w = CodePointWidth(s, end, &len);
    if (used + w > width - 1) break;  // keep one column for the "~"
    used += w;
    end += len;
  }
  return std::string(s.substr(0, end)) + "~";
}

std::string PadRight(std::string_view s, int width) {
  std::string out(s);
  out.append(static_cast<size_t>(std::max(0, width - DisplayWidth(s))), ' ');
  return out;
}

std::string PadLeft(std::string_view s, int width) {
  std::string out(static_cast<size_t>(std::max(0, width - DisplayWidth(s))), ' ');
  out += s;
  return out;
}

}  // namespace tenantshift
