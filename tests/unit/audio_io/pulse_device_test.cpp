// PulseDevice without a server: a clear kUnavailable error within the connect timeout, never a hang.
#include "resound/audio_io/pulse_device.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "resound_test/temp_directory.hpp"

namespace resound::audio_io {
namespace {

TEST(PulseDevice, AbsentServerIsAClearErrorNotAHang) {
  test::TempDirectory directory;
  const std::string server = "unix:" + (directory.path() / "no-such-socket").string();
  const char* previous = std::getenv("PULSE_SERVER");
  const std::string saved = previous ? previous : "";
  setenv("PULSE_SERVER", server.c_str(), 1);
  auto device = PulseDevice::open({.connect_timeout_s = 1.0});
  if (previous) setenv("PULSE_SERVER", saved.c_str(), 1); else unsetenv("PULSE_SERVER");
  ASSERT_FALSE(device);
  EXPECT_EQ(device.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(device.error().message().find("no-such-socket"), std::string::npos) << device.error().message();
}

}  // namespace
}  // namespace resound::audio_io
