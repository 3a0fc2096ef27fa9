#include "control/dead_letter_table.hpp"

#include <gtest/gtest.h>

#include "control/status_table.hpp"

namespace grove::control {
namespace {

TEST(DeadLetterTable, ShowsOneRowPerLetterWithTextOrHex) {
  const std::string out = render_dead_letters(
      {R"({"time":"2026-11-24T20:31:05Z","target":"cache","type":"kv.put","kind":123,"deliveries":4,)"
       R"("reason":"redeliveries","bytes":3,"payload_hex":"6b3d76","text":"k=v"})",
       R"({"time":"2026-11-24T20:31:06Z","target":"nobody","kind":7,"deliveries":1,)"
       R"("reason":"no recipient","bytes":2,"payload_hex":"0001"})"});
  EXPECT_EQ(out,
            "TIME                  REASON        DELIVERIES  TYPE    TARGET  BYTES  PAYLOAD\n"
            "2026-11-24T20:31:05Z  redeliveries  4           kv.put  cache   3      \"k=v\"\n"
            "2026-11-24T20:31:06Z  no recipient  1           kind 7  nobody  2      0001\n");
}

TEST(DeadLetterTable, ALineThatIsNotAnObjectIsShownAsItIs) {
  const std::string out = render_dead_letters({"{\"time\":\"cut sh"});
  EXPECT_NE(out.find("\n{\"time\":\"cut sh\n"), std::string::npos) << out;
}

TEST(StatusTable, MailboxColumnsAppearOnlyWhenSomeWorkerHasAMailbox) {
  StatusNode tree;
  StatusNode plain;
  plain.path = "plain";
  plain.type = "worker";
  plain.state = "running";
  tree.children = {plain};
  EXPECT_EQ(render_status_table(tree, false).find("DEPTH"), std::string::npos);
  StatusNode box = plain;
  box.path = "box";
  box.mailbox = MailboxStatus{3, 10, 2.5, 1, 4};
  tree.children.push_back(box);
  const std::string out = render_status_table(tree, false);
  EXPECT_NE(out.find("DEPTH  HANDLED/S  DEAD  PROCS"), std::string::npos) << out;
  EXPECT_NE(out.find("3      2.5        1     4"), std::string::npos) << out;
  EXPECT_NE(out.find("-      -          -     -"), std::string::npos) << out;
}

TEST(StatusJson, AMailboxNodeCarriesItsFiguresAndOthersHaveNoMailboxKey) {
  StatusNode tree;
  StatusNode box;
  box.path = "box";
  box.mailbox = MailboxStatus{3, 10, 2.5, 1, 4};
  StatusNode plain;
  plain.path = "plain";
  tree.children = {box, plain};
  const std::string json = status_json(tree);
  EXPECT_NE(json.find(R"("mailbox":{"dead_letters":1,"depth":3,"handled":10,"handled_per_s":2.5,"processes":4})"),
            std::string::npos) << json;
  Reply r;
  r.status = tree;
  std::string error;
  const auto back = decode_reply(encode(r), error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->status->children[0].mailbox, box.mailbox);
  EXPECT_FALSE(back->status->children[1].mailbox);
}

}  // namespace
}  // namespace grove::control
