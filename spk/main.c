/* spk: global options, then one command from the table below.
 *
 * Built twice. `spk-full` runs every command. `spk` (SPK_THIN) links only the library's core and
 * runs the queries (list, info, files, owner, verify) itself, so they start without loading
 * libarchive, libcurl and their forty dependencies; for any other command it executes spk-full
 * with the same arguments (docs/spk-design.md, "Two binaries"). */
#include "spk/cli.h"

#include "libcli/report.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *usage;
};

#ifdef SPK_THIN
#define FULL(fn) NULL /* run by spk-full */
#else
#define FULL(fn) fn
#endif

static const struct command commands[] = {
	{ "install", FULL(cmd_install), "install PKGFILE...|NAME[OPVER]..." },
	{ "remove", FULL(cmd_remove), "remove [--cascade] NAME..." },
	{ "update", FULL(cmd_update), "update" },
	{ "upgrade", FULL(cmd_upgrade), "upgrade [NAME...]" },
	{ "list", cmd_list, "list [--available|--upgradable]" },
	{ "search", FULL(cmd_search), "search TEXT" },
	{ "info", cmd_info, "info NAME" },
	{ "files", cmd_files, "files NAME" },
	{ "owner", cmd_owner, "owner PATH..." },
	{ "verify", cmd_verify, "verify [NAME...]" },
	{ "mkpkg", FULL(cmd_mkpkg), "mkpkg DIR OUTDIR" },
	{ "index", FULL(cmd_index), "index --repository O/R --snapshot TAG --serial N [...] OUTDIR PKGFILE..." },
	{ "sign", FULL(cmd_sign), "sign --key SECRETKEY [--legacy] FILE | --verify [--key PUBKEY] FILE" },
	{ "keygen", FULL(cmd_keygen), "keygen OUTBASE" },
	{ "cache", FULL(cmd_cache), "cache clean" },
	{ "publish", FULL(cmd_publish), "publish [--to-dir DIR] [--key PUBKEY] SNAPSHOTDIR" },
};

#ifdef SPK_THIN
/* spk-full beside this binary (a build tree, or both in one directory), else in libexecdir. */
static int exec_full(char **argv)
{
	char self[4096], path[4200];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/spk-full", self);
			if (access(path, X_OK) == 0) {
				execv(path, argv);
				return report_msg("spk", "%s: cannot run: %s", path, strerror(errno));
			}
		}
	}
	snprintf(path, sizeof(path), "%s/spk-full", SPK_LIBEXECDIR);
	execv(path, argv);
	return report_msg("spk", "%s: cannot run: %s", path, strerror(errno));
}
#endif

static void usage(FILE *f)
{
	fprintf(f, "usage: spk [--root DIR] [--sync=yes|no] [--dry-run] [--quiet] [--parallel=N] COMMAND [ARGS]\n"
		   "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  spk %s\n", commands[i].usage);
}

/* Takes a global option at argv[*i] (and its value); returns 1 if taken, 0 if not ours, -2 on a bad
 * value. Global options may come before or after the command name, like apk's. */
static int take_global(struct cli *cli, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *v;

	if (!strcmp(a, "--dry-run")) {
		cli->dry_run = true;
	} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
		cli->quiet = true;
	} else if (!strcmp(a, "--root") || !strncmp(a, "--root=", 7)) {
		if (a[6] == '=') {
			v = a + 7;
		} else {
			if (*i + 1 >= argc) {
				report_usage("spk", "--root: missing directory");
				return -2;
			}
			v = argv[++*i];
		}
		if (!*v) {
			report_usage("spk", "--root: empty path");
			return -2;
		}
		cli->root = v;
	} else if (!strncmp(a, "--parallel=", 11)) {
		char *end;
		unsigned long n = strtoul(a + 11, &end, 10);

		if (*end || !a[11] || n < 1 || n > 64) {
			report_usage("spk", "--parallel: 1 to 64 downloads, not '%s'", a + 11);
			return -2;
		}
		cli->parallel = (unsigned)n;
	} else if (!strncmp(a, "--sync=", 7) || !strcmp(a, "--sync")) {
		v = a[6] == '=' ? a + 7 : (*i + 1 < argc ? argv[++*i] : "");
		if (!strcmp(v, "yes")) {
			cli->sync = 1;
		} else if (!strcmp(v, "no")) {
			cli->sync = 0;
		} else {
			report_usage("spk", "--sync: expected yes or no, not '%s'", v);
			return -2;
		}
	} else {
		return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	struct cli cli = { .root = "/", .sync = -1 };
	char **rest = calloc((size_t)argc + 1, sizeof(*rest));
	int nrest = 0, r;
	bool dashdash = false;

	if (!rest)
		return report_msg("spk", "out of memory");
	for (int i = 1; i < argc; i++) {
		if (!dashdash && !strcmp(argv[i], "--")) {
			dashdash = true;
			rest[nrest++] = argv[i];
			continue;
		}
		if (!dashdash) {
			if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
				usage(stdout);
				free(rest);
				return 0;
			}
			r = take_global(&cli, argc, argv, &i);
			if (r < 0) {
				free(rest);
				return 2;
			}
			if (r > 0)
				continue;
		}
		rest[nrest++] = argv[i];
	}
	if (nrest == 0 || rest[0][0] == '-') {
		if (nrest)
			report_usage("spk", "unknown option '%s'", rest[0]);
		usage(stderr);
		free(rest);
		return 2;
	}
	r = -1;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(rest[0], commands[i].name)) {
#ifdef SPK_THIN
			/* list's repository views need the full library too */
			if (!commands[i].run || (commands[i].run == cmd_list && nrest > 1)) {
				free(rest);
				return exec_full(argv);
			}
#endif
			optind = 0; /* glibc: full re-initialisation for the command's own getopt */
			r = commands[i].run(&cli, nrest, rest);
			break;
		}
	}
	if (r < 0)
		r = report_usage("spk", "unknown command '%s' (see spk --help)", rest[0]);
	free(rest);
	fflush(stdout);
	if (ferror(stdout))
		r = r ? r : report_msg("spk", "writing standard output failed");
	return r;
}
