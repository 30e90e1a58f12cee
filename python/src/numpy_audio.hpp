// Conversions between NumPy arrays shaped (channels, frames) and Resound's planar audio.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "resound/core/audio_buffer.hpp"

namespace resound::python {

/// Any float array-like (1-D mono or 2-D (channels, frames), any float dtype, lists) as float32,
/// C-contiguous. Raises ResoundError for other shapes.
using FloatArray = pybind11::array_t<float, pybind11::array::c_style | pybind11::array::forcecast>;

/// A read-only planar view of `array` (1-D -> one channel). `pointers` receives the channel
/// pointers and must outlive the view. Call with the GIL held.
ConstAudioView view_of(const FloatArray& array, std::vector<const float*>& pointers);

/// Moves `buffer` into a new float32 array shaped (channels, frames) without copying samples.
pybind11::array_t<float> to_numpy(AudioBuffer buffer);

}  // namespace resound::python
