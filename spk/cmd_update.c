/* spk update: fetch and verify every repository's channel, signature and index. */
#include "spk/common.h"

#include "libcli/report.h"
#include "libspk/repo.h"

#include <stdio.h>

static void print_repo(void *arg, const struct spk_repo *r)
{
	struct cli *cli = arg;

	if (!cli->quiet)
		printf("%s: snapshot %s, serial %llu, %zu packages\n", r->line, r->channel.snapshot,
		       (unsigned long long)r->channel.serial, r->index.n);
}

int cmd_update(struct cli *cli, int argc, char **argv)
{
	struct spk_root root;
	struct spk_repos rs;
	struct spk_fetch_opts fo;
	struct spk_err e = { 0 };
	int r;

	if (argc > 1)
		return report_usage("spk", "update: unexpected argument '%s'", argv[1]);
	r = open_root(cli, &root);
	if (r)
		return r;
	spk_fetch_opts_init(&fo);
	r = spk_fetch_opts_env(&fo, &e);
	if (r == 0)
		r = spk_repos_config(&rs, root.fd, &e);
	if (r == 0) {
		if (rs.n == 0)
			r = spk_fail(&e, -SPK_ENOTFOUND, "/" SPK_REPOS_CONF, "no repositories configured");
		else if (!cli->dry_run && (r = spk_root_lock(&root, &e)) == 0)
			r = spk_repos_update(&rs, root.fd, root.sync, &fo, print_repo, cli, &e);
		spk_repos_release(&rs);
	}
	spk_root_close(&root);
	return r < 0 ? report("spk", &e) : 0;
}
