#include "report/format.h"

#include <gtest/gtest.h>

namespace tenantshift {
namespace {

TEST(FormatTest, HumanBytes) {
  EXPECT_EQ(HumanBytes(0), "0 B");
  EXPECT_EQ(HumanBytes(512), "512 B");
  EXPECT_EQ(HumanBytes(1024), "1.0 KiB");
  EXPECT_EQ(HumanBytes(1536), "1.5 KiB");
  EXPECT_EQ(HumanBytes(1572864), "1.5 MiB");
  EXPECT_EQ(HumanBytes(int64_t{1} << 30), "1.0 GiB");
  EXPECT_EQ(HumanBytes(int64_t{5} << 40), "5.0 TiB");
  EXPECT_EQ(HumanBytes(1048575), "1.0 MiB");  // not "1024.0 KiB"
  EXPECT_EQ(HumanBytes(-1), "?");
}

TEST(FormatTest, HumanCount) {
  EXPECT_EQ(HumanCount(0), "0");
  EXPECT_EQ(HumanCount(999), "999");
  EXPECT_EQ(HumanCount(12345), "12.3k");
  EXPECT_EQ(HumanCount(4500000), "4.5M");
  EXPECT_EQ(HumanCount(999999), "1.0M");  // not "1000.0k"
  EXPECT_EQ(HumanCount(-3), "?");
}

TEST(FormatTest, WithThousands) {
  EXPECT_EQ(WithThousands(0), "0");
  EXPECT_EQ(WithThousands(999), "999");
  EXPECT_EQ(WithThousands(1000), "1,000");
  EXPECT_EQ(WithThousands(1234567), "1,234,567");
  EXPECT_EQ(WithThousands(-1234567), "-1,234,567");
  EXPECT_EQ(WithThousands(-123), "-123");
}

TEST(FormatTest, HumanDuration) {
  EXPECT_EQ(HumanDuration(0), "0.0s");
  EXPECT_EQ(HumanDuration(3.26), "3.3s");
  EXPECT_EQ(HumanDuration(42), "42s");
  EXPECT_EQ(HumanDuration(59.6), "1m00s");
  EXPECT_EQ(HumanDuration(65), "1m05s");
  EXPECT_EQ(HumanDuration(3725), "1h02m");
  EXPECT_EQ(HumanDuration(93600), "1d02h");
  EXPECT_EQ(HumanDuration(-1), "?");
}

TEST(FormatTest, Rates) {
  EXPECT_EQ(FormatRate(12345, "rows"), "12.3k rows/s");
  EXPECT_EQ(FormatRate(0, "rows"), "0 rows/s");
  EXPECT_EQ(FormatByteRate(1572864), "1.5 MiB/s");
  EXPECT_EQ(FormatByteRate(100), "100 B/s");
}

TEST(FormatTest, Iso8601Utc) {
  EXPECT_EQ(FormatIso8601Utc(WallTime(std::chrono::seconds(1700000000))), "2023-11-14T22:13:20Z");
  EXPECT_EQ(FormatIso8601Utc(WallTime(std::chrono::seconds(0))), "1970-01-01T00:00:00Z");
}

TEST(FormatTest, SanitizeLineKeepsTextAndNeutralizesControls) {
  EXPECT_EQ(SanitizeLine("public.\"Weird\" 'name'"), "public.\"Weird\" 'name'");
  EXPECT_EQ(SanitizeLine("naïve.日本"), "naïve.日本");
  EXPECT_EQ(SanitizeLine("a\nb\tc\r"), "a b c ");
  EXPECT_EQ(SanitizeLine("\x1b[2J"), "?[2J");
  EXPECT_EQ(SanitizeLine("x\xc2\x9by"), "x?y");  // C1 CSI
  EXPECT_EQ(SanitizeLine("bad\xff\xfe"), "bad??");
  EXPECT_EQ(SanitizeLine("\xc3"), "?");            // truncated sequence
  EXPECT_EQ(SanitizeLine("\xc0\xaf"), "??");       // overlong '/'
  EXPECT_EQ(SanitizeLine("\xed\xa0\x80"), "???");  // surrogate
}

TEST(FormatTest, DisplayWidth) {
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("naïve"), 5);
  EXPECT_EQ(DisplayWidth("日本"), 4);
  EXPECT_EQ(DisplayWidth("\xF0\x9F\x98\x80"), 2);  // emoji
}

TEST(FormatTest, FitWidthCutsOnCodePointBoundaries) {
  EXPECT_EQ(FitWidth("abc", 3), "abc");
  EXPECT_EQ(FitWidth("abcdef", 4), "abc~");
  EXPECT_EQ(FitWidth("ééééé", 3), "éé~");
  EXPECT_EQ(FitWidth("日本語", 4), "日~");
  EXPECT_EQ(FitWidth("abc", 0), "");
  EXPECT_EQ(FitWidth("abc", 1), "~");
}

TEST(FormatTest, Padding) {
  EXPECT_EQ(PadRight("ä", 3), "ä  ");
  EXPECT_EQ(PadLeft("ä", 3), "  ä");
  EXPECT_EQ(PadLeft("日", 3), " 日");
  EXPECT_EQ(PadRight("toolong", 3), "toolong");
}

TEST(FormatTest, StringPrintf) {
  EXPECT_EQ(StringPrintf("%d-%s", 7, "x"), "7-x");
  EXPECT_EQ(StringPrintf("%s", ""), "");
  EXPECT_EQ(StringPrintf("%s", std::string(1000, 'a').c_str()).size(), 1000u);
}

}  // namespace
}  // namespace tenantshift
