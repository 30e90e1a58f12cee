// Sample peaks: the loudest |frame| of a sample and of its loop, which voice culling bounds a voice's output with.
#pragma once

#include <array>
#include <cstdint>

#include "resound/formats/soundfont.hpp"

namespace resound::synth::detail {

/// Largest |frame| of frames[begin, end) plus one 16-bit step, as a fraction of full scale (the
/// step makes it bound 24-bit samples too, whose high 16 bits these are). 1/32768 when empty.
/// Thread contract: any thread; O(end - begin), vectorised.
float peak_fraction(const std::int16_t* frames, std::uint32_t begin, std::uint32_t end) noexcept;

/// {peak of the whole sample, peak of its loop (the sample's when it has no valid loop)}.
/// `data.frames` must not be null. Thread contract: any thread; O(sample length).
std::array<float, 2> sample_and_loop_peaks(const formats::SoundFontSampleData& data) noexcept;

}  // namespace resound::synth::detail
