/* broken.c - a unit that does not compile (a header is missing): clang drops statements it cannot
 * compile, so code whose statements vanished from the tree is not judged. */
#include <fcntl.h>
#include <unistd.h>

#include "no/such/header.h" // want "compile-error"

/* The store into the unknown type is not in the tree: silent. */
int watch(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return -1;
  io_channel_new(fd)->close_on_unref = 1;
  return 0;
}

/* Nothing is missing here: the leak is reported (no fix: it may not be open there). */
void touch(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT, 0644);
  if (fd >= 0)
    write(fd, "", 0);
} // want "file descriptor from open\\(\\) on line 19 \\(fd\\) can still be open at the end"
