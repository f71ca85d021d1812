/* Errors: every libspk function that can fail fills one struct spk_err and returns its code. */
#ifndef SPK_ERR_H
#define SPK_ERR_H

#include <stdarg.h>

/* libspk's own codes, above the errno range; named once, in err.c. */
enum {
	SPK_E_BASE = 1000,
	SPK_EFORMAT,	  /* malformed text: .SPKINFO, record, database, journal */
	SPK_EUNSAFE,	  /* hostile archive member: .., absolute, symlink traversal, device */
	SPK_EMISMATCH,	  /* content differs from its record */
	SPK_ECORRUPT,	  /* truncated or corrupt archive or compression */
	SPK_EDEPENDS,	  /* unsatisfied dependency */
	SPK_ECONFLICT,	  /* package conflict or file owned by another package */
	SPK_ENOTFOUND,	  /* no such package, path or file */
	SPK_ENOTOWNED,	  /* path owned by no package */
	SPK_EHOOK,	  /* a hook script failed */
	SPK_ESIGNATURE,	  /* bad, missing or unknown signature */
	SPK_EROLLBACK,	  /* repository serial lower than the last accepted */
	SPK_EEXPIRED,	  /* repository channel past its Valid-Until */
	SPK_ENETWORK,	  /* transfer failed after retries */
	SPK_EUSAGE,	  /* bad argument */
	SPK_E_END,
};

struct spk_err {
	int code;	/* -errno or -SPK_E...; 0 = none */
	char what[256]; /* the thing that is wrong: path, package, URL */
	char why[256];	/* specific reason; "" means spk_strerror(code) */
};

/* Fills e (if not NULL) and returns code, so a failure is one statement: return spk_fail(...). */
int spk_fail(struct spk_err *e, int code, const char *what, const char *why_fmt, ...)
	__attribute__((format(printf, 4, 5)));
int spk_vfail(struct spk_err *e, int code, const char *what, const char *why_fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

/* Text for a code (negative errno or -SPK_E...); static storage. */
const char *spk_strerror(int code);

/* The reason to print: e->why, or spk_strerror(e->code) when why is empty. */
const char *spk_err_why(const struct spk_err *e);

void spk_err_clear(struct spk_err *e);

#endif
