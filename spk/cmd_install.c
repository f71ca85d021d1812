/* spk install PKGFILE...: one transaction for all of them, in any order. */
#include "spk/common.h"

#include "spk/request_cli.h"

#include "libcli/report.h"
#include "libspk/repo.h"
#include "libspk/txn.h"

#include <stdlib.h>

#include <string.h>
#include <sys/stat.h>

static bool looks_like_file(const char *arg)
{
	struct stat st;
	size_t n = strlen(arg);

	return strchr(arg, '/') || (n > 7 && !strcmp(arg + n - 7, ".tar.xz")) ||
	       stat(arg, &st) == 0;
}

/* Without repositories, files install on their own: nothing to resolve against. */
static bool have_repositories(struct cli *cli)
{
	struct spk_root root;
	struct spk_repos rs;
	struct spk_err e = { 0 };
	bool have = false;

	if (spk_root_open(&root, cli->root, cli->sync, &e) < 0)
		return false;
	if (spk_repos_config(&rs, root.fd, &e) == 0) {
		have = rs.n > 0;
		spk_repos_release(&rs);
	} else {
		have = true; /* a broken configuration is reported by the request */
	}
	spk_root_close(&root);
	return have;
}

static int install_from_repositories(struct cli *cli, int argc, char **argv)
{
	struct spk_request rq = { .kind = SPK_REQ_INSTALL };
	const char **files = calloc((size_t)argc, sizeof(*files));
	const char **names = calloc((size_t)argc, sizeof(*names));
	int r;

	if (!files || !names) {
		free(files);
		free(names);
		return report_msg("spk", "out of memory");
	}
	for (int i = 1; i < argc; i++) {
		if (looks_like_file(argv[i]))
			files[rq.n_files++] = argv[i];
		else
			names[rq.n_targets++] = argv[i];
	}
	rq.files = files;
	rq.targets = names;
	r = run_request(cli, &rq);
	free(files);
	free(names);
	return r;
}

int cmd_install(struct cli *cli, int argc, char **argv)
{
	struct spk_root root;
	struct spk_txn t;
	struct spk_err e = { 0 };
	bool names = false;
	int r;

	if (argc < 2)
		return report_usage("spk", "install: no packages given");
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			return report_usage("spk", "install: unknown option '%s'", argv[i]);
		names |= !looks_like_file(argv[i]);
	}
	if (names || have_repositories(cli))
		return install_from_repositories(cli, argc, argv);
	r = open_root(cli, &root);
	if (r)
		return r;
	r = spk_txn_begin(&t, &root, &e);
	for (int i = 1; r == 0 && i < argc; i++) {
		r = spk_txn_add_file(&t, argv[i], &e);
		if (r == 0)
			r = spk_txn_mark_explicit(&t, t.adds[t.n_adds - 1]->info.name, &e);
	}
	if (r == 0)
		r = spk_txn_plan(&t, &e);
	if (r == 0)
		r = spk_txn_commit(&t, &e);
	spk_txn_release(&t);
	spk_root_close(&root);
	return r < 0 ? report("spk", &e) : 0;
}
