#include "libspk/err.h"

#include <stdio.h>
#include <string.h>

static const char *const messages[SPK_E_END - SPK_E_BASE] = {
	[SPK_EFORMAT - SPK_E_BASE] = "malformed",
	[SPK_EUNSAFE - SPK_E_BASE] = "unsafe archive member",
	[SPK_EMISMATCH - SPK_E_BASE] = "content does not match its record",
	[SPK_ECORRUPT - SPK_E_BASE] = "truncated or corrupt archive",
	[SPK_EDEPENDS - SPK_E_BASE] = "unsatisfied dependency",
	[SPK_ECONFLICT - SPK_E_BASE] = "conflict",
	[SPK_ENOTFOUND - SPK_E_BASE] = "not found",
	[SPK_ENOTOWNED - SPK_E_BASE] = "not owned by any package",
	[SPK_EHOOK - SPK_E_BASE] = "hook script failed",
	[SPK_ESIGNATURE - SPK_E_BASE] = "bad signature",
	[SPK_EROLLBACK - SPK_E_BASE] = "serial lower than the last accepted (rollback)",
	[SPK_EEXPIRED - SPK_E_BASE] = "expired (Valid-Until in the past)",
	[SPK_ENETWORK - SPK_E_BASE] = "transfer failed",
	[SPK_EUSAGE - SPK_E_BASE] = "usage",
};

const char *spk_strerror(int code)
{
	int c = -code;

	if (c > SPK_E_BASE && c < SPK_E_END && messages[c - SPK_E_BASE])
		return messages[c - SPK_E_BASE];
	if (c > 0 && c < SPK_E_BASE)
		return strerror(c);
	return "unknown error";
}

int spk_vfail(struct spk_err *e, int code, const char *what, const char *why_fmt, va_list ap)
{
	if (!e)
		return code;
	e->code = code;
	snprintf(e->what, sizeof(e->what), "%s", what ? what : "");
	if (why_fmt)
		vsnprintf(e->why, sizeof(e->why), why_fmt, ap);
	else
		e->why[0] = '\0';
	return code;
}

int spk_fail(struct spk_err *e, int code, const char *what, const char *why_fmt, ...)
{
	va_list ap;

	va_start(ap, why_fmt);
	spk_vfail(e, code, what, why_fmt, ap);
	va_end(ap);
	return code;
}

const char *spk_err_why(const struct spk_err *e)
{
	return e->why[0] ? e->why : spk_strerror(e->code);
}

void spk_err_clear(struct spk_err *e)
{
	e->code = 0;
	e->what[0] = '\0';
	e->why[0] = '\0';
}
