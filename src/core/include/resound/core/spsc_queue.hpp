// SpscQueue: a bounded, wait-free single-producer/single-consumer queue for crossing threads.
#pragma once

#include <cstddef>
#include <optional>
#include <utility>

#include <readerwriterqueue/readerwriterqueue.h>

namespace resound {

/// Bounded lock-free queue between exactly one producer thread and one consumer thread
/// (moodycamel::ReaderWriterQueue underneath). Storage is allocated once, in the constructor;
/// `try_push` never allocates — when the queue is full it returns false.
/// Thread contract: constructor and destructor OFF/CT; `try_push` from the single producer and
/// `try_pop`/`peek_size` from the single consumer, both RT-safe (wait-free, no allocation).
template <typename T>
class SpscQueue {
 public:
  explicit SpscQueue(std::size_t capacity) : queue_(capacity) {}

  SpscQueue(const SpscQueue&) = delete;
  SpscQueue& operator=(const SpscQueue&) = delete;

  /// Enqueues a copy/move of `item`; false if the queue is full (nothing is allocated). Producer only.
  template <typename U>
  bool try_push(U&& item) noexcept(std::is_nothrow_constructible_v<T, U&&>) {
    return queue_.try_enqueue(std::forward<U>(item));
  }

  /// Dequeues the oldest item into `out`; false if the queue is empty. Consumer only.
  bool try_pop(T& out) noexcept(std::is_nothrow_move_assignable_v<T>) { return queue_.try_dequeue(out); }

  /// Dequeues the oldest item, if any. Consumer only.
  std::optional<T> try_pop() {
    T item;
    if (!queue_.try_dequeue(item)) return std::nullopt;
    return item;
  }

  /// Approximate number of queued items (exact from the consumer's side).
  [[nodiscard]] std::size_t size_approx() const noexcept { return queue_.size_approx(); }

  /// How many items fit without allocation.
  [[nodiscard]] std::size_t capacity() const noexcept { return queue_.max_capacity(); }

 private:
  moodycamel::ReaderWriterQueue<T> queue_;
};

}  // namespace resound
