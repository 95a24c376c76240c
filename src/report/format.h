// Formatting helpers for text people read: sizes, counts, durations, rates, timestamps, and
// UTF-8-aware padding so names with non-ASCII characters still line up.
//
// All functions are pure and never throw on odd input: negative or non-finite numbers render as
// "?", and invalid UTF-8 is shown as '?' by SanitizeLine.
// Thread-safety: free functions with no shared state; safe from any thread.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "util/clock.h"

namespace tenantshift {

// printf into a std::string.
std::string StringPrintf(const char* format, ...) __attribute__((format(printf, 1, 2)));
// The parts concatenated, with one allocation: StrCat({"a", name, "c"}).
std::string StrCat(std::initializer_list<std::string_view> parts);

// Binary units with one decimal above 1 KiB: 512 -> "512 B", 1572864 -> "1.5 MiB". < 0 -> "?".
std::string HumanBytes(int64_t bytes);

// A count with SI suffix and one decimal from 1000 up: 999 -> "999", 12345 -> "12.3k",
// 4500000 -> "4.5M". Negative or non-finite -> "?".
std::string HumanCount(double count);

// An exact count with thousands separators: 1234567 -> "1,234,567".
std::string WithThousands(int64_t n);

// Short durations: 3.25 -> "3.2s" (one decimal below 10 s), 42 -> "42s", 65 -> "1m05s",
// 3725 -> "1h02m", 93600 -> "1d02h". Negative or non-finite -> "?".
std::string HumanDuration(double seconds);

// A rate of `unit` per second: FormatRate(12345, "rows") -> "12.3k rows/s".
std::string FormatRate(double per_second, std::string_view unit);
// A byte rate: FormatByteRate(1572864) -> "1.5 MiB/s".
std::string FormatByteRate(double bytes_per_second);

// ISO-8601 UTC with second precision: "2023-11-14T22:13:20Z".
std::string FormatIso8601Utc(WallTime t);

// Makes `s` safe to print as part of one line: newline, CR and tab become a space, other control
// characters (C0, DEL, C1) and invalid UTF-8 bytes become '?'. Valid UTF-8 is kept as-is.
std::string SanitizeLine(std::string_view s);

// Terminal columns `s` occupies: 2 for East Asian wide and emoji code points, 1 for every other
// code point (combining marks are over-counted, which only ever shortens output).
// REQUIRES: s is valid UTF-8 (e.g. passed through SanitizeLine); otherwise counts bytes.
int DisplayWidth(std::string_view s);

// The longest prefix of `s` that fits in `width` columns, cut on a code point boundary; ends in
// "~" when something was cut and width > 0.
std::string FitWidth(std::string_view s, int width);

// `s` padded with spaces to `width` columns on the right (PadRight) or left (PadLeft); never cut.
std::string PadRight(std::string_view s, int width);
std::string PadLeft(std::string_view s, int width);

}  // namespace tenantshift
