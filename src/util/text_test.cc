#include "util/text.h"

#include <gtest/gtest.h>

namespace tenantshift {
namespace {

TEST(TextTest, AsciiLowerLeavesOtherBytesAlone) {
  EXPECT_EQ(AsciiLower("Content-Type: ÉTÉ"), "content-type: ÉtÉ");
}

TEST(TextTest, TrimWhitespaceRemovesSpacesTabsAndLineEnds) {
  EXPECT_EQ(TrimWhitespace(" \t a b \r\n"), "a b");
  EXPECT_EQ(TrimWhitespace(" \r\n"), "");
}

}  // namespace
}  // namespace tenantshift
