#include "grove/ipc/segment.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <cerrno>
#include <utility>

#include "grove/ipc/segment_name.hpp"

namespace grove::ipc {

namespace bip = boost::interprocess;

namespace {
constexpr std::size_t kMaxSize = std::size_t{1} << 40;

Error sys_error(const char* context, int err) { return Error{from_errno(err), err, context}; }

bool valid_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxSegmentName &&
         name.find('/') == std::string_view::npos && name != "." && name != "..";
}

// The mapping must outlive the Boost objects: take ownership of the bytes.
Result<std::byte*> map_fd(int fd, std::size_t size, const char* context) {
  void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) return sys_error(context, errno);
  return static_cast<std::byte*>(p);
}

Status check_private(int fd, const char* context) {
  struct stat st{};
  if (::fstat(fd, &st) != 0) return sys_error(context, errno);
  if (st.st_uid != ::geteuid() || (st.st_mode & 0077) != 0)
    return Error{IpcError::permission_denied, 0, context};
  return {};
}

int mapping_fd(const bip::shared_memory_object& shm) {
  return shm.get_mapping_handle().handle;
}
}  // namespace

Result<Segment> Segment::create(std::string_view name, std::size_t size) {
  if (!valid_name(name) || size == 0 || size > kMaxSize)
    return Error{IpcError::invalid_argument, 0, "create segment"};
  const std::string n(name);
  try {
    // create_only is O_CREAT|O_EXCL; Boost fchmods to 0600 past the umask.
    bip::shared_memory_object shm(bip::create_only, n.c_str(), bip::read_write,
                                  bip::permissions(0600));
    try {
      shm.truncate(static_cast<bip::offset_t>(size));
      auto base = map_fd(mapping_fd(shm), size, "map segment");
      if (!base) {
        bip::shared_memory_object::remove(n.c_str());
        return base.error();
      }
      return Segment(*base, size, n, -1);
    } catch (const bip::interprocess_exception& e) {
      bip::shared_memory_object::remove(n.c_str());  // undo the half-made segment
      return sys_error("size segment", e.get_native_error());
    }
  } catch (const bip::interprocess_exception& e) {
    return sys_error("create segment", e.get_native_error());
  }
}

Result<Segment> Segment::open(std::string_view name) {
  if (!valid_name(name)) return Error{IpcError::invalid_argument, 0, "open segment"};
  const std::string n(name);
  try {
    bip::shared_memory_object shm(bip::open_only, n.c_str(), bip::read_write);
    if (auto ok = check_private(mapping_fd(shm), "open segment"); !ok) return ok.error();
    bip::offset_t size = 0;
    if (!shm.get_size(size) || size <= 0 || static_cast<std::uint64_t>(size) > kMaxSize)
      return Error{IpcError::bad_geometry, 0, "open segment"};
    auto base = map_fd(mapping_fd(shm), static_cast<std::size_t>(size), "map segment");
    if (!base) return base.error();
    return Segment(*base, static_cast<std::size_t>(size), n, -1);
  } catch (const bip::interprocess_exception& e) {
    return sys_error("open segment", e.get_native_error());
  }
}

Result<Segment> Segment::create_memfd(std::size_t size) {
  if (size == 0 || size > kMaxSize) return Error{IpcError::invalid_argument, 0, "create memfd"};
  const int fd = ::memfd_create("grove-inbox", MFD_CLOEXEC);
  if (fd < 0) return sys_error("create memfd", errno);
  if (::ftruncate(fd, static_cast<off_t>(size)) != 0) {
    const int err = errno;
    ::close(fd);
    return sys_error("size memfd", err);
  }
  auto base = map_fd(fd, size, "map memfd");
  if (!base) {
    ::close(fd);
    return base.error();
  }
  return Segment(*base, size, {}, fd);
}

Result<Segment> Segment::open_fd(int fd) {
  const int own = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (own < 0) return sys_error("open segment fd", errno);
  struct stat st{};
  if (::fstat(own, &st) != 0 || st.st_size <= 0 ||
      static_cast<std::uint64_t>(st.st_size) > kMaxSize) {
    ::close(own);
    return Error{IpcError::bad_geometry, 0, "open segment fd"};
  }
  auto base = map_fd(own, static_cast<std::size_t>(st.st_size), "map segment fd");
  if (!base) {
    ::close(own);
    return base.error();
  }
  return Segment(*base, static_cast<std::size_t>(st.st_size), {}, own);
}

Status Segment::unlink(std::string_view name) {
  if (!valid_name(name)) return Error{IpcError::invalid_argument, 0, "unlink segment"};
  std::string n(1, '/');  // not "/" + string: GCC 12 -O3 warns falsely (-Wrestrict)
  n += name;
  if (::shm_unlink(n.c_str()) != 0) return sys_error("unlink segment", errno);
  return {};
}

Segment::Segment(Segment&& o) noexcept
    : base_(std::exchange(o.base_, nullptr)),
      size_(std::exchange(o.size_, 0)),
      name_(std::move(o.name_)),
      fd_(std::exchange(o.fd_, -1)) {}

Segment& Segment::operator=(Segment&& o) noexcept {
  if (this != &o) {
    release();
    base_ = std::exchange(o.base_, nullptr);
    size_ = std::exchange(o.size_, 0);
    name_ = std::move(o.name_);
    fd_ = std::exchange(o.fd_, -1);
  }
  return *this;
}

Segment::~Segment() { release(); }

void Segment::release() {
  if (base_ != nullptr) ::munmap(base_, size_);
  if (fd_ >= 0) ::close(fd_);
  base_ = nullptr;
  fd_ = -1;
}

Result<std::size_t> sweep_stale_segments(std::uint32_t uid, std::string_view tree) {
  DIR* dir = ::opendir("/dev/shm");
  if (dir == nullptr) return sys_error("list /dev/shm", errno);
  std::size_t removed = 0;
  while (const dirent* e = ::readdir(dir)) {
    const auto n = parse_segment_name(e->d_name);
    if (!n || n->uid != uid || (!tree.empty() && n->tree != tree) || is_alive(n->owner)) continue;
    struct stat st{};
    if (::fstatat(::dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || st.st_uid != uid)
      continue;  // never remove what another user owns, whatever its name says
    if (Segment::unlink(e->d_name)) ++removed;
  }
  ::closedir(dir);
  return removed;
}

}  // namespace grove::ipc
