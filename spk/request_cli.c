#include "spk/request_cli.h"

#include "spk/common.h"

#include "libcli/progress.h"
#include "libcli/report.h"

int run_request(struct cli *cli, struct spk_request *rq)
{
	struct spk_root root;
	struct spk_fetch_opts fo;
	struct progress p;
	struct spk_fetch_cb cb;
	struct spk_err e = { 0 };
	int r;

	r = open_root(cli, &root);
	if (r)
		return r;
	spk_fetch_opts_init(&fo);
	r = spk_fetch_opts_env(&fo, &e);
	if (cli->parallel)
		fo.parallel = cli->parallel;
	if (r == 0) {
		progress_init(&p, cli->quiet);
		cb = (struct spk_fetch_cb){ .progress = progress_fetch, .ctx = &p };
		rq->fetch = &fo;
		rq->progress = &cb;
		r = spk_request_run(&root, rq, &e);
		progress_clear(&p);
	}
	spk_root_close(&root);
	return r < 0 ? report("spk", &e) : 0;
}
