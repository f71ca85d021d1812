/* Tiny TAP helpers for C unit tests: each check prints "ok N - title" or "not ok N - title". */
#ifndef SPK_TEST_UNIT_H
#define SPK_TEST_UNIT_H

#include <stdio.h>

static int unit_count, unit_failed;

static inline void unit_check(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static inline void unit_check(int cond, const char *fmt, ...)
{
	va_list ap;

	unit_count++;
	if (!cond)
		unit_failed++;
	printf("%sok %d - ", cond ? "" : "not ", unit_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static inline int unit_done(void)
{
	printf("1..%d\n", unit_count);
	return unit_failed ? 1 : 0;
}

#endif
