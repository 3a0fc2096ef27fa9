// speaker_repo.hpp — the seed's SpeakerRepo: looks a speaker up by name.
#pragma once

#include <map>
#include <string>

struct Speaker {
  std::string name;
  std::string talk;
};

using Speakers = std::map<std::string, Speaker>;

struct SpeakerRepo {
  static Speaker find(const std::string& name) {
    static const std::map<std::string, std::string> talks{
        {"jose", "Elixir's future"}, {"kyle", "Introduction to OTP"}, {"jesse", "The ABCs of OTP"}};
    auto it = talks.find(name);
    return {name, it == talks.end() ? "(to be announced)" : it->second};
  }
};
