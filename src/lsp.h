/* lsp.h - `omen lsp`: a Language Server Protocol 3.17 server over stdio (push and pull diagnostics). */
#ifndef OMEN_LSP_H
#define OMEN_LSP_H

#include <stdio.h>

/* Largest message body the server accepts; a larger one is skipped and answered with an error. */
#define OMEN_LSP_MAX_MESSAGE ((size_t)64 << 20)

/* `omen lsp [--stdio]`: serves on stdin/stdout until the exit notification or the end of stdin.
 * Returns the process exit status: 0 after shutdown then exit (or end of input after shutdown),
 * 1 when the input ends or exit comes without shutdown, 2 on a usage error. */
int omen_lsp_main(int argc, char **argv);

/* The server itself: reads framed messages from in_fd, writes to out; log (may be NULL) receives
 * notes for the maintainer (never protocol data). Returns the exit status as above. */
int omen_lsp_serve(int in_fd, FILE *out, FILE *log);

/* Text helpers (exposed for tests). Positions follow LSP: lines end at \n, \r\n or \r; characters
 * are UTF-16 code units, an invalid UTF-8 byte counting as one. */
size_t omen_lsp_offset(const char *text, size_t len, unsigned long line, unsigned long character);
void omen_lsp_position(const char *text, size_t len, size_t off, unsigned long *line, unsigned long *character);

/* "file:///a%20b" -> "/a b" (caller frees); NULL for other schemes, remote hosts, bad escapes, NUL. */
char *omen_lsp_uri_to_path(const char *uri);
/* An absolute path as a file:// URI, percent-encoded (caller frees); NULL when out of memory. */
char *omen_lsp_path_to_uri(const char *path);

#endif
