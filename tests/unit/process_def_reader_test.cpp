// Process-definition keys of a worker (command, env, env_file, cwd, user,
// group, umask, limits, stdout, stderr), read through the public loader.
// Every config starts with `name = "t"`, `[[children]]`, `name = "w"`, so the
// keys under test start on line 4.
#include <gtest/gtest.h>

#include <string>

#include "config/config_loader.hpp"

namespace grove::config {
namespace {

const LoadOptions kUser{1000, "/run/user/1000", "", "/home/ann"};
const LoadOptions kRoot{0, "", "", "/root"};

std::string worker(std::string_view keys, bool with_command = true) {
  return "name = \"t\"\n[[children]]\nname = \"w\"\n" + std::string(keys) +
         (with_command ? "\ncommand = [\"/bin/x\"]\n" : "\n");
}

ProcessDef def_of(const std::string& text, const LoadOptions& options = kUser) {
  const LoadResult r = load_config_string(text, "grove.toml", options);
  EXPECT_TRUE(r.ok()) << format_diagnostics(r.errors);
  if (!r.ok() || r.tree->children.empty()) return {};
  return r.tree->children.front().process;
}

std::string errors_of(const std::string& text, const LoadOptions& options = kUser) {
  const LoadResult r = load_config_string(text, "grove.toml", options);
  EXPECT_FALSE(r.ok());
  return format_diagnostics(r.errors);
}

TEST(ProcessDefReader, DefaultsAreEmptyAndInherited) {
  const ProcessDef d = def_of(worker(""));
  ProcessDef expected;
  expected.command = {"/bin/x"};
  EXPECT_EQ(d, expected);
  EXPECT_EQ(d.stdout_to.kind, Output::Kind::inherit);
  EXPECT_EQ(d.stderr_to.kind, Output::Kind::inherit);
  EXPECT_FALSE(d.umask.has_value());
  EXPECT_EQ(d.limits, Limits{});
}

TEST(ProcessDefReader, EveryKeyIsRead) {
  const ProcessDef d = def_of(worker(R"(command = ["./bin/app", "--port", "80"]
env = { PORT = "80", A = "x y" }
env_file = "app.env"
cwd = "srv"
user = "www-data"
group = "www-data"
umask = "027"
stdout = "log"
stderr = "./err.log"
limits = { as = "512M", nofile = 4096, nproc = "unlimited", core = "infinity" })", false),
                              kRoot);
  EXPECT_EQ(d.command, (std::vector<std::string>{"./bin/app", "--port", "80"}));
  EXPECT_EQ(d.env, (std::vector<std::pair<std::string, std::string>>{{"PORT", "80"}, {"A", "x y"}}));
  EXPECT_EQ(d.env_file, "app.env");
  EXPECT_EQ(d.cwd, "srv");
  EXPECT_EQ(d.user, "www-data");
  EXPECT_EQ(d.group, "www-data");
  EXPECT_EQ(d.umask, 027u);
  EXPECT_EQ(d.stdout_to, (Output{Output::Kind::log, ""}));
  EXPECT_EQ(d.stderr_to, (Output{Output::Kind::file, "./err.log"}));
  EXPECT_EQ(d.limits.as, 512ull << 20);
  EXPECT_EQ(d.limits.nofile, 4096u);
  EXPECT_EQ(d.limits.nproc, kUnlimited);
  EXPECT_EQ(d.limits.core, kUnlimited);
}

TEST(ProcessDefReader, EnvTableEntriesStayInFileOrder) {
  const ProcessDef d = def_of("name = \"t\"\n[[children]]\nname = \"w\"\ncommand = [\"x\"]\n"
                              "[children.env]\nZ = \"1\"\nB = \"2\"\nM = \"3\"\n");
  EXPECT_EQ(d.env, (std::vector<std::pair<std::string, std::string>>{{"Z", "1"}, {"B", "2"}, {"M", "3"}}));
}

TEST(ProcessDefReader, OutputsAreWordsOrPaths) {
  EXPECT_EQ(def_of(worker("stdout = \"null\"")).stdout_to.kind, Output::Kind::null);
  EXPECT_EQ(def_of(worker("stdout = \"inherit\"")).stdout_to.kind, Output::Kind::inherit);
  EXPECT_EQ(def_of(worker("stdout = \"/var/log/x.log\"")).stdout_to, (Output{Output::Kind::file, "/var/log/x.log"}));
}

TEST(ProcessDefReader, AnOutputWithoutASlashIsATypo) {
  EXPECT_EQ(errors_of(worker("stdout = \"lgo\"")),
            "grove.toml:4:10: error: \"lgo\" is not a valid 'stdout'\n"
            "  hint: did you mean 'log'? use \"inherit\", \"log\", \"null\" or a file path with a '/' (\"./lgo\")\n");
  EXPECT_NE(errors_of(worker("stderr = \"discard\"")).find("did you mean 'null'?"), std::string::npos);
}

TEST(ProcessDefReader, UmaskAcceptsOctalStringsAndOctalIntegers) {
  EXPECT_EQ(def_of(worker("umask = \"022\"")).umask, 022u);
  EXPECT_EQ(def_of(worker("umask = \"0o077\"")).umask, 077u);
  EXPECT_EQ(def_of(worker("umask = \"0002\"")).umask, 02u);
  EXPECT_EQ(def_of(worker("umask = 0o022")).umask, 022u);
  EXPECT_EQ(def_of(worker("umask = 0")).umask, 0u);
}

TEST(ProcessDefReader, UmaskRefusesDecimalIntegers) {
  EXPECT_EQ(errors_of(worker("umask = 22")),
            "grove.toml:4:9: error: 'umask' = 22 is decimal; a umask is octal\n"
            "  hint: write umask = \"022\" or umask = 0o022\n");
}

TEST(ProcessDefReader, UmaskRejectsOutOfRangeAndGarbage) {
  EXPECT_EQ(errors_of(worker("umask = \"0999\"")),
            "grove.toml:4:9: error: \"0999\" is not an octal umask from 000 to 777\n"
            "  hint: write umask = \"022\" or umask = 0o022\n");
  EXPECT_FALSE(load_config_string(worker("umask = \"1000\""), "g", kUser).ok());
  EXPECT_FALSE(load_config_string(worker("umask = 0o1000"), "g", kUser).ok());
  EXPECT_FALSE(load_config_string(worker("umask = \"\""), "g", kUser).ok());
  EXPECT_NE(errors_of(worker("umask = true")).find("got a boolean"), std::string::npos);
}

TEST(ProcessDefReader, LimitsAcceptIntegersSizesAndInfinity) {
  const ProcessDef d = def_of(worker("limits = { as = 1000000, core = \"1G\", nofile = \"infinity\" }"));
  EXPECT_EQ(d.limits.as, 1000000u);
  EXPECT_EQ(d.limits.core, 1ull << 30);
  EXPECT_EQ(d.limits.nofile, kUnlimited);
  EXPECT_FALSE(d.limits.nproc.has_value());
}

TEST(ProcessDefReader, LimitsRejectUnknownKeysSizesOnCountsAndNegatives) {
  EXPECT_EQ(errors_of(worker("limits = { nofiles = 10, nproc = \"1K\", core = -1 }")),
            "grove.toml:4:12: error: unknown key 'nofiles' in [children.limits]\n"
            "  hint: did you mean 'nofile'? allowed: as, nofile, nproc, core\n"
            "grove.toml:4:34: error: limits.nproc: \"1K\" is not an integer or \"infinity\"\n"
            "grove.toml:4:47: error: limits.core must not be negative\n");
  EXPECT_NE(errors_of(worker("limits = 5")).find("'limits' must be a table, got an integer"), std::string::npos);
}

TEST(ProcessDefReader, NestedLimitsNameTheirTable) {
  const std::string text = "name = \"t\"\n[[children]]\nname = \"s\"\ntype = \"supervisor\"\n"
                           "  [[children.children]]\n  name = \"w\"\n  command = [\"x\"]\n"
                           "  limits = { cores = 0 }\n";
  EXPECT_NE(errors_of(text).find("grove.toml:8:14: error: unknown key 'cores' in [children.children.limits]\n"),
            std::string::npos)
      << errors_of(text);
}

TEST(ProcessDefReader, CommandMustBeANonEmptyArrayOfStrings) {
  EXPECT_EQ(errors_of(worker("command = \"redis-server --port 6390\"", false)),
            "grove.toml:4:11: error: 'command' must be an array of strings, got a string\n"
            "  hint: write command = [\"redis-server\", \"--port\", \"6390\"]\n");
  EXPECT_EQ(errors_of(worker("command = \"a | b\"", false)),
            "grove.toml:4:11: error: 'command' must be an array of strings, got a string\n"
            "  hint: write command = [\"sh\", \"-c\", \"a | b\"] to run it through a shell\n");
  EXPECT_EQ(errors_of(worker("command = []", false)),
            "grove.toml:4:11: error: 'command' is empty\n"
            "  hint: write command = [\"program\", \"arg\", ...]\n");
  EXPECT_EQ(errors_of(worker("command = [\"\"]", false)),
            "grove.toml:4:12: error: 'command' has an empty program name\n");
  EXPECT_EQ(errors_of(worker("command = [\"redis\", 6390]", false)),
            "grove.toml:4:21: error: 'command' must hold only strings, got an integer\n"
            "  hint: quote numbers: [\"--port\", \"6390\"]\n");
}

TEST(ProcessDefReader, EnvValuesMustBeStrings) {
  EXPECT_EQ(errors_of(worker("env = { PORT = 8080 }")),
            "grove.toml:4:16: error: env 'PORT' must be a string, got an integer\n"
            "  hint: quote it: PORT = \"...\"\n");
  EXPECT_NE(errors_of(worker("env = { \"A=B\" = \"x\" }")).find("environment variable name \"A=B\" is not valid"),
            std::string::npos);
  EXPECT_NE(errors_of(worker("env = [\"A=1\"]")).find("'env' must be a table, got an array"), std::string::npos);
}

TEST(ProcessDefReader, UserAndGroupRequireRoot) {
  EXPECT_EQ(errors_of(worker("user = \"www-data\"\ngroup = \"www-data\"")),
            "grove.toml:4:1: error: 'user' requires groved to run as root\n"
            "  hint: groved runs as uid 1000; remove 'user' and 'group', or run groved as root\n"
            "grove.toml:5:1: error: 'group' requires groved to run as root\n"
            "  hint: groved runs as uid 1000; remove 'user' and 'group', or run groved as root\n");
  EXPECT_EQ(def_of(worker("user = \"1000\""), kRoot).user, "1000");
}

TEST(ProcessDefReader, PathsMustNotBeEmpty) {
  EXPECT_EQ(errors_of(worker("cwd = \"\"\nenv_file = \"\"")),
            "grove.toml:4:7: error: 'cwd' must not be empty\n"
            "grove.toml:5:12: error: 'env_file' must not be empty\n");
}

}  // namespace
}  // namespace grove::config
