#include "config/signal_name.hpp"

#include <array>
#include <csignal>
#include <utility>

namespace grove::config {
namespace {

struct Named {
  int signo;
  std::string_view full;  // with the SIG prefix
};

constexpr std::array<Named, 31> kNamed{{
    {SIGHUP, "SIGHUP"},       {SIGINT, "SIGINT"},       {SIGQUIT, "SIGQUIT"},
    {SIGILL, "SIGILL"},       {SIGTRAP, "SIGTRAP"},     {SIGABRT, "SIGABRT"},
    {SIGBUS, "SIGBUS"},       {SIGFPE, "SIGFPE"},       {SIGKILL, "SIGKILL"},
    {SIGUSR1, "SIGUSR1"},     {SIGSEGV, "SIGSEGV"},     {SIGUSR2, "SIGUSR2"},
    {SIGPIPE, "SIGPIPE"},     {SIGALRM, "SIGALRM"},     {SIGTERM, "SIGTERM"},
    {SIGSTKFLT, "SIGSTKFLT"}, {SIGCHLD, "SIGCHLD"},     {SIGCONT, "SIGCONT"},
    {SIGSTOP, "SIGSTOP"},     {SIGTSTP, "SIGTSTP"},     {SIGTTIN, "SIGTTIN"},
    {SIGTTOU, "SIGTTOU"},     {SIGURG, "SIGURG"},       {SIGXCPU, "SIGXCPU"},
    {SIGXFSZ, "SIGXFSZ"},     {SIGVTALRM, "SIGVTALRM"}, {SIGPROF, "SIGPROF"},
    {SIGWINCH, "SIGWINCH"},   {SIGIO, "SIGIO"},         {SIGPWR, "SIGPWR"},
    {SIGSYS, "SIGSYS"},
}};

// "SIG1".."SIG64", built at compile time so signal_name never allocates.
using NumberName = std::array<char, 6>;
constexpr std::array<NumberName, kMaxSignal + 1> kNumberNames = [] {
  std::array<NumberName, kMaxSignal + 1> out{};
  for (int n = 1; n <= kMaxSignal; ++n) {
    NumberName& s = out[static_cast<std::size_t>(n)];
    s = {'S', 'I', 'G', '\0', '\0', '\0'};
    if (n >= 10) {
      s[3] = static_cast<char>('0' + n / 10);
      s[4] = static_cast<char>('0' + n % 10);
    } else {
      s[3] = static_cast<char>('0' + n);
    }
  }
  return out;
}();

constexpr std::array<std::string_view, kNamed.size()> kWords = [] {
  std::array<std::string_view, kNamed.size()> out{};
  for (std::size_t i = 0; i < kNamed.size(); ++i) out[i] = kNamed[i].full.substr(3);
  return out;
}();

bool equal_upper(std::string_view text, std::string_view upper_word) {
  if (text.size() != upper_word.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper_word[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<int> signal_from_number(long long number) {
  if (number < 1 || number > kMaxSignal) return std::nullopt;
  return static_cast<int>(number);
}

std::optional<int> parse_signal(std::string_view text) {
  for (const Named& s : kNamed)
    if (equal_upper(text, s.full) || equal_upper(text, s.full.substr(3))) return s.signo;
  if (text.size() > 3 && equal_upper(text.substr(0, 3), "SIG")) text.remove_prefix(3);
  if (text.empty() || text.size() > 3 || text.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  long long n = 0;
  for (char c : text) n = n * 10 + (c - '0');
  return signal_from_number(n);
}

std::string_view signal_name(int signo) {
  for (const Named& s : kNamed)
    if (s.signo == signo) return s.full;
  if (signo < 1 || signo > kMaxSignal) return "SIG?";
  return std::string_view{kNumberNames[static_cast<std::size_t>(signo)].data()};
}

std::span<const std::string_view> signal_words() { return kWords; }

}  // namespace grove::config
