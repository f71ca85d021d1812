/* A growable byte buffer with a ceiling (curl's dynbuf): data from files, archives or the network
 * never grows past the limit given at init. The contents are always NUL-terminated. */
#ifndef SPK_BUF_H
#define SPK_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct spk_buf {
	char *data;	/* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
	size_t max;	/* ceiling on len; appends past it fail with -EFBIG */
};

#define SPK_BUF_DEFAULT_MAX ((size_t)1 << 30)
#define SPK_BUF_INIT { NULL, 0, 0, SPK_BUF_DEFAULT_MAX }

void spk_buf_init(struct spk_buf *b, size_t max);
/* Frees the storage; b is empty (and reusable) afterwards. */
void spk_buf_release(struct spk_buf *b);
void spk_buf_reset(struct spk_buf *b);

/* Each returns 0, -ENOMEM or -EFBIG (ceiling reached; b unchanged). */
int spk_buf_add(struct spk_buf *b, const void *p, size_t n);
int spk_buf_adds(struct spk_buf *b, const char *s);
int spk_buf_addc(struct spk_buf *b, char c);
int spk_buf_addf(struct spk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reads fd to EOF, appending. */
int spk_buf_read_fd(struct spk_buf *b, int fd);

/* Hands the storage to the caller (caller frees); b is empty afterwards. */
char *spk_buf_detach(struct spk_buf *b, size_t *len);

#endif
