// dead_letter_table.hpp — `grovectl deadletters PATH` for people.
//
// A mailbox worker appends each message it sets aside to its dead-letter
// file as one JSON line (worker-lib; the format is in groved(8)); groved
// hands the lines over unchanged, and this renders them:
//
//   std::cout << render_dead_letters(reply.lines);
//
//   TIME                  REASON         DELIVERIES  TYPE    TARGET  BYTES  PAYLOAD
//   2026-11-24T20:31:05Z  redeliveries   4           kv.put  cache   64     "k=v"
//
// Contract: pure, never throws; a line that is not such an object is shown
// as it is (a worker may have died mid-line). PAYLOAD is the text when the
// worker recorded one, else the hex, cut at 40 characters.
#pragma once

#include <string>
#include <vector>

namespace grove::control {

std::string render_dead_letters(const std::vector<std::string>& lines);

}  // namespace grove::control
