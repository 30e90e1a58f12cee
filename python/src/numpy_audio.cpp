// NumPy <-> planar audio without needless copies.
#include "numpy_audio.hpp"

#include <string>

#include "python_errors.hpp"

namespace resound::python {

namespace py = pybind11;

ConstAudioView view_of(const FloatArray& array, std::vector<const float*>& pointers) {
  // More channels than this almost always means a (frames, channels) array from soundfile & co.
  constexpr py::ssize_t kMaxChannels = 64;
  if (array.ndim() == 1) {
    pointers.assign(1, array.data());
    return {pointers.data(), 1, static_cast<std::size_t>(array.shape(0))};
  }
  if (array.ndim() != 2)
    throw ResoundError("audio must be 1-D (mono) or 2-D (channels, frames); got " + std::to_string(array.ndim()) +
                       " dimensions");
  const py::ssize_t channels = array.shape(0);
  const py::ssize_t frames = array.shape(1);
  if (channels > kMaxChannels)
    throw ResoundError("audio has shape (" + std::to_string(channels) + ", " + std::to_string(frames) +
                       "); Resound wants (channels, frames) — did you mean array.T?");
  pointers.resize(static_cast<std::size_t>(channels));
  for (py::ssize_t c = 0; c < channels; ++c) pointers[static_cast<std::size_t>(c)] = array.data(c, 0);
  return {pointers.data(), static_cast<std::size_t>(channels), static_cast<std::size_t>(frames)};
}

py::array_t<float> to_numpy(AudioBuffer buffer) {
  auto* owned = new AudioBuffer(std::move(buffer));
  const auto channels = static_cast<py::ssize_t>(owned->channel_count());
  const auto frames = static_cast<py::ssize_t>(owned->frame_count());
  if (channels == 0 || frames == 0) {
    delete owned;
    return py::array_t<float>(std::vector<py::ssize_t>{channels, frames});
  }
  py::capsule free_when_done(owned, [](void* pointer) { delete static_cast<AudioBuffer*>(pointer); });
  // AudioBuffer stores channel after channel in one block: exactly a C-contiguous (channels, frames) array.
  return py::array_t<float>({channels, frames}, {static_cast<py::ssize_t>(sizeof(float)) * frames,
                                                 static_cast<py::ssize_t>(sizeof(float))},
                            owned->channel(0).data(), free_when_done);
}

}  // namespace resound::python
