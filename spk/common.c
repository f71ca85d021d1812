#include "spk/common.h"

#include "libcli/report.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static void on_lock_wait(void *arg, const char *lockpath)
{
	struct cli *cli = arg;
	bool slash_root = !strcmp(cli->root, "/");

	fprintf(stderr, "spk: waiting for the lock %s/%s (another spk is running)\n",
		slash_root ? "" : cli->root, lockpath);
}

static void on_warning(void *arg, const char *what, const char *msg)
{
	(void)arg;
	if (what && *what)
		report_warn("spk", "%s: %s", what, msg);
	else
		report_warn("spk", "%s", msg);
}

static void on_action(void *arg, const char *verb, const char *name, const char *old_version,
		      const char *new_version)
{
	struct cli *cli = arg;

	if (cli->quiet)
		return;
	if (old_version && new_version)
		printf("%s%s %s %s -> %s\n", cli->dry_run ? "would be " : "", verb, name,
		       old_version, new_version);
	else
		printf("%s%s %s %s\n", cli->dry_run ? "would be " : "", verb, name,
		       new_version ? new_version : old_version);
	fflush(stdout);
}

int open_root(struct cli *cli, struct spk_root *root)
{
	struct spk_err e = { 0 };

	if (spk_root_open(root, cli->root, cli->sync, &e) < 0)
		return report("spk", &e);
	root->dry_run = cli->dry_run;
	root->on_lock_wait = on_lock_wait;
	root->on_warning = on_warning;
	root->on_action = on_action;
	root->cb_arg = cli;
	if (!cli->dry_run && spk_root_recover(root, &e) < 0) {
		spk_root_close(root);
		return report("spk", &e);
	}
	return 0;
}
