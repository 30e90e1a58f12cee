// Command registry, error reporting and Ctrl-C handling for the CLI.
#include "cli_support.hpp"

#include <atomic>
#include <csignal>
#include <iostream>

namespace resound::cli {
namespace {
std::atomic<bool> g_interrupted{false};

extern "C" void handle_interrupt(int) {
  g_interrupted.store(true);
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process at once
}
}  // namespace

CLI::App* CommandRegistry::add(const std::string& name, const std::string& description,
                               const std::function<CommandAction(CLI::App&)>& configure) {
  CLI::App* command = app_.add_subcommand(name, description);
  auto action = std::make_shared<CommandAction>(configure(*command));
  command->callback([this, action] { selected_ = *action; });
  return command;
}

int report_error(const Error& error) {
  std::cerr << "resound: error: " << error.describe() << '\n';
  if (error.code() == ErrorCode::kCancelled) return kExitInterrupted;
  if (error.code() == ErrorCode::kInvalidArgument && error.context().file.empty()) return kExitUsageError;
  return kExitRuntimeError;
}

void install_interrupt_handler() { std::signal(SIGINT, handle_interrupt); }
bool interrupt_requested() { return g_interrupted.load(std::memory_order_relaxed); }

}  // namespace resound::cli
