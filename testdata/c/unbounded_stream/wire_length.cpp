// wire_length.cpp - C++ containers sized by a length prefix the peer wrote.
#include <arpa/inet.h>
#include <endian.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace wire {

constexpr std::uint32_t kMaxMessage = 4u << 20;

struct Header {
  std::uint32_t size;
  std::uint32_t kind;
};

bool ReadExact(int fd, void *p, std::size_t n);

// ---- reported ----

std::string ReadKey(int fd) {
  Header h{};
  if (!ReadExact(fd, &h, sizeof h))
    return {};
  std::uint32_t size = ntohl(h.size);
  std::string key(size, '\0'); // want "alloc-from-wire-length: the size comes from `size`"
  ReadExact(fd, &key[0], key.size());
  return key;
}

std::vector<std::uint64_t> ReadOffsets(int fd) {
  std::uint64_t be = 0;
  if (!ReadExact(fd, &be, sizeof be))
    return {};
  std::uint64_t count = be64toh(be);
  std::vector<std::uint64_t> offsets;
  offsets.reserve(count); // want "alloc-from-wire-length: the size comes from `count`"
  return offsets;
}

std::vector<char> ReadPayload(int fd) {
  std::uint32_t be = 0;
  if (!ReadExact(fd, &be, sizeof be))
    return {};
  std::vector<char> v(ntohl(be)); // want "alloc-from-wire-length: the size is a length the peer wrote"
  ReadExact(fd, v.data(), v.size());
  return v;
}

void ReadInto(int fd, std::vector<char> *out) {
  Header h{};
  if (!ReadExact(fd, &h, sizeof h))
    return;
  h.size = ntohl(h.size);
  out->assign(h.size, 0); // want "alloc-from-wire-length: the size comes from `h.size`"
}

char *ReadRaw(int fd) {
  std::uint32_t le = 0;
  if (!ReadExact(fd, &le, sizeof le))
    return nullptr;
  std::uint32_t n = le32toh(le);
  return static_cast<char *>(std::malloc(n)); // want "alloc-from-wire-length: the size comes from `n`"
}

char *ReadArray(int fd) {
  Header h{};
  if (!ReadExact(fd, &h, sizeof h))
    return nullptr;
  std::uint32_t n = ntohl(h.size);
  char *p = new char[n + 1]; // want "alloc-from-wire-length: the size comes from `n`"
  ReadExact(fd, p, n);
  p[n] = '\0';
  return p;
}

// ---- silent ----

char *ReadArrayChecked(int fd) {
  Header h{};
  if (!ReadExact(fd, &h, sizeof h))
    return nullptr;
  std::uint32_t n = ntohl(h.size);
  if (n >= kMaxMessage)
    return nullptr;
  char *p = new char[n + 1];
  ReadExact(fd, p, n);
  p[n] = '\0';
  return p;
}


std::string ReadKeyChecked(int fd) {
  Header h{};
  if (!ReadExact(fd, &h, sizeof h))
    return {};
  std::uint32_t size = ntohl(h.size);
  if (size > kMaxMessage)
    return {};
  std::string key(size, '\0');
  ReadExact(fd, &key[0], key.size());
  return key;
}

std::vector<std::uint64_t> ReadOffsetsClamped(int fd) {
  std::uint64_t be = 0;
  if (!ReadExact(fd, &be, sizeof be))
    return {};
  std::uint64_t count = std::min<std::uint64_t>(be64toh(be), kMaxMessage);
  std::vector<std::uint64_t> offsets;
  offsets.reserve(count);
  return offsets;
}

std::vector<char> ReadShort(int fd) {
  std::uint16_t be = 0;
  if (!ReadExact(fd, &be, sizeof be))
    return {};
  std::vector<char> v(ntohs(be));
  ReadExact(fd, v.data(), v.size());
  return v;
}

bool ValidSize(std::uint32_t n);

void ReadIntoValidated(int fd, std::vector<char> *out) {
  Header h{};
  if (!ReadExact(fd, &h, sizeof h))
    return;
  std::uint32_t size = ntohl(h.size);
  if (!ValidSize(size))
    return;
  out->resize(size);
}

std::vector<int> Kinds(int fd) {
  Header h{};
  if (!ReadExact(fd, &h, sizeof h))
    return {};
  std::uint32_t kind = ntohl(h.kind);
  std::vector<int> v(8);
  v[0] = static_cast<int>(kind);
  return v;
}

} // namespace wire
