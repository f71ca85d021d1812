#include "libcli/report.h"

#include <stdarg.h>
#include <stdio.h>

int report(const char *prog, const struct spk_err *e)
{
	if (e->what[0])
		fprintf(stderr, "%s: error: %s: %s\n", prog, e->what, spk_err_why(e));
	else
		fprintf(stderr, "%s: error: %s\n", prog, spk_err_why(e));
	return 1;
}

static void vsay(const char *prog, const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s: ", prog, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int report_msg(const char *prog, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(prog, "error", fmt, ap);
	va_end(ap);
	return 1;
}

int report_usage(const char *prog, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(prog, "error", fmt, ap);
	va_end(ap);
	return 2;
}

void report_warn(const char *prog, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(prog, "warning", fmt, ap);
	va_end(ap);
}
