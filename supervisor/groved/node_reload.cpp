// SupervisorNode: reload — re-read the config and apply only what changed.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "config/config_loader.hpp"
#include "groved/event_log.hpp"
#include "groved/reply_gather.hpp"
#include "groved/supervisor_node.hpp"
#include "groved/tree_mailboxes.hpp"
#include "policy/reload_plan.hpp"

namespace grove::groved {

namespace {

using control::Reply;
using control::Request;

// This supervisor's own spec in a new tree: the root, or the nested
// supervisor at `path` ("api/jobs").
const ChildSpec* find_subtree(const TreeSpec& tree, const std::string& path) {
  const std::vector<ChildSpec>* level = &tree.children;
  const ChildSpec* found = nullptr;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string name = path.substr(start, slash - start);
    found = nullptr;
    for (const ChildSpec& c : *level)
      if (c.name == name) found = &c;
    if (!found) return nullptr;
    level = &found->children;
    start = slash + 1;
  }
  return found;
}

bool read_file(const std::string& path, std::string& text) {
  std::ifstream f(path);
  if (!f) return false;
  std::stringstream s;
  s << f.rdbuf();
  text = s.str();
  return true;
}

}  // namespace

// The root reads the file; a nested supervisor gets its text from its parent,
// so the whole tree applies the one version that was validated.
void SupervisorNode::reload(const Request& r, Respond respond) {
  Request with_text = r;
  if (with_text.config_text.empty()) {  // the reload starts here (grovectl, SIGHUP): log its outcome
    respond = [tree = tree_.name, inner = std::move(respond)](const Reply& reply) {
      if (!reply.ok) LogLine("reload_failed").kv("tree", tree).kv("error", reply.error);
      for (const std::string& change : reply.lines) LogLine("reload_change").kv("tree", tree).kv("change", change);
      return inner(reply);
    };
    with_text.config_file = tree_.config_file;
    if (!read_file(tree_.config_file, with_text.config_text)) {
      respond(Reply::failure(r.id, "unable to read " + tree_.config_file + ": " + std::strerror(errno) +
                                       "; nothing was changed"));
      return;
    }
  }
  const auto loaded = config::load_config_string(with_text.config_text, with_text.config_file,
                                                 config::load_options_from_environment());
  if (!loaded.ok()) {
    std::string why = "the config has errors; nothing was changed\n";
    why += config::format_diagnostics(loaded.errors);
    respond(Reply::failure(r.id, why));
    return;
  }
  const TreeSpec& tree = *loaded.tree;
  const SupervisorPolicy* policy = &tree.root;
  const std::vector<ChildSpec>* children = &tree.children;
  if (!path_.empty()) {
    const ChildSpec* me = find_subtree(tree, path_);
    if (!me) {
      respond(Reply::failure(r.id, path_ + " is no longer in the config"));
      return;
    }
    policy = &me->supervisor;
    children = &me->children;
  }
  // Inboxes first: an added mailbox worker, at any depth, starts with its own.
  if (tree_.mailboxes != nullptr) {
    if (std::string why = tree_.mailboxes->sync(tree.children); !why.empty()) {
      respond(Reply::failure(r.id, "nothing was changed: " + why));
      return;
    }
  }
  auto gather = std::make_shared<ReplyGather>(r.id, std::move(respond));
  if (path_.empty() && (tree.name != tree_.name || tree.control != tree_.control ||
                        tree.log_dir != tree_.log_dir || tree.log_max_bytes != tree_.log_max_bytes ||
                        tree.log_backups != tree_.log_backups))
    gather->reply.lines.push_back(
        "note: name, control, log_dir, log_max_bytes and log_backups take effect when groved restarts");
  apply_reload(*policy, *children, with_text, gather->reply.lines,
               [&, gather](std::size_t i, Request sub) {
                 ++gather->outstanding;
                 forward(i, std::move(sub), [gather](const Reply& nested) {
                   auto& lines = gather->reply.lines;
                   lines.insert(lines.end(), nested.lines.begin(), nested.lines.end());
                   if (!nested.ok) {  // the parts that did apply are still listed
                     gather->reply.ok = false;
                     gather->reply.error += nested.error;
                   }
                   gather->done_one();
                   return true;
                 });
               });
  const auto changed = std::count_if(gather->reply.lines.begin(), gather->reply.lines.end(),
                                     [](const std::string& l) { return l.rfind("note:", 0) != 0; });
  LogLine("reloaded").kv("tree", tree_.name).kv("supervisor", path_.empty() ? "/" : path_)
      .kv("changes", static_cast<std::int64_t>(changed));
  gather->done_one();
}

void SupervisorNode::apply_reload(const SupervisorPolicy& policy,
                                  const std::vector<ChildSpec>& children, const Request& r,
                                  std::vector<std::string>& changes,
                                  const std::function<void(std::size_t, Request)>& forward_subtree) {
  std::vector<ChildSpec> current;
  std::vector<std::size_t> index_of;  // position in `current` -> index in children_
  for (std::size_t i = 0; i < children_.size(); ++i)
    if (!children_[i].retired) {
      current.push_back(children_[i].spec);
      index_of.push_back(i);
    }
  const ReloadPlan plan = plan_reload(engine_.policy(), current, policy, children);
  const std::string who = path_.empty() ? "the root supervisor" : path_;
  if (plan.supervisor_policy_changed) {
    engine_.set_policy(policy);
    changes.push_back("policy of " + who + " updated");
  }
  if (plan.order_changed)
    changes.push_back("note: the new order of " + who + "'s children takes effect when groved restarts");
  for (const ReloadChange& c : plan.changes) {
    const std::size_t i = c.kind == ReloadChange::Kind::add ? 0 : index_of[c.old_index];
    switch (c.kind) {
      case ReloadChange::Kind::remove:
        children_[i].retired = true;
        feed(Event::stop(i));
        changes.push_back("removed " + children_[i].path);
        break;
      case ReloadChange::Kind::restart:
        children_[i].spec = children[c.new_index];
        engine_.update_child(i, engine_entry(children[c.new_index]));
        if (!engine_.children()[i].wanted) {  // stopped by the operator: stays so
          changes.push_back("updated " + children_[i].path + " (stopped; starts with the new definition)");
          break;
        }
        feed(Event::restart(i));
        changes.push_back("restarted " + children_[i].path + " (definition changed)");
        break;
      case ReloadChange::Kind::update_policy:
        children_[i].spec.policy = children[c.new_index].policy;
        engine_.update_child(i, engine_entry(children[c.new_index]));
        changes.push_back("policy of " + children_[i].path + " updated");
        break;
      case ReloadChange::Kind::update_subtree: {
        children_[i].spec = children[c.new_index];
        engine_.update_child(i, engine_entry(children[c.new_index]));
        if (!children_[i].channel) {  // down now: its next start uses the new spec
          changes.push_back("updated " + children_[i].path + " (applies when it starts)");
          break;
        }
        Request sub = r;
        sub.path = children_[i].path;
        forward_subtree(i, sub);
        break;
      }
      case ReloadChange::Kind::add: {
        ChildProcess record;
        record.path = child_path(path_, children[c.new_index].name);
        record.spec = children[c.new_index];
        children_.push_back(std::move(record));
        std::vector<Action> actions;
        engine_.add_child(engine_entry(children[c.new_index]), Clock::now(), actions);
        for (const Action& a : actions) pending_.push_back(a);
        changes.push_back("added " + children_.back().path);
        break;
      }
    }
  }
  drain();
}

}  // namespace grove::groved
