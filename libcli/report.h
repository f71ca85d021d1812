/* The one place command-line programs print errors and warnings. */
#ifndef SPK_CLI_REPORT_H
#define SPK_CLI_REPORT_H

#include "libspk/err.h"

/* Prints "PROG: error: <what>: <why>" (or "PROG: error: <why>" when what is empty); returns 1. */
int report(const char *prog, const struct spk_err *e);
/* Prints "PROG: error: <message>"; returns 1. */
int report_msg(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Usage errors: "PROG: error: <message>" plus a hint; returns 2. */
int report_usage(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Warnings never change the exit code: "PROG: warning: <message>". */
void report_warn(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
